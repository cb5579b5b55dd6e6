package dev.sluice.pipelines.internal.detective.pii;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Member names that say their value is sensitive ({@code password}, {@code apiKey}, {@code X-Auth-Token}). A name is
 * split into words at {@code - _ .} and other punctuation, at camelCase humps and between letters and digits, lower
 * cased; it is sensitive when some run of consecutive words, joined, is a keyword joined the same way. So
 * {@code api_key}, {@code apiKey}, {@code APIKEY} and {@code x-api-key} all match {@code api_key}, and
 * {@code access_token} matches {@code token}; but {@code author} does not match {@code auth}, nor
 * {@code prompt_tokens} {@code token}. Names run together in lower case ({@code userpassword}) are not split.
 */
public final class SensitiveKeys {
    public static final List<String> DEFAULT_KEYWORDS = List.of(
            "password", "passwd", "pwd", "passphrase", "secret", "token", "api_key", "access_key", "private_key",
            "auth", "authorization", "credentials", "ssn", "social_security", "credit_card", "card_number", "cvv",
            "cvc", "iban", "email", "phone");

    /** Member names repeat from record to record; past this many distinct names, answers are not kept. */
    private static final int MAX_REMEMBERED = 4096;

    private final Set<String> keywords;
    private final int longestKeyword;
    private final ConcurrentHashMap<String, Boolean> answers = new ConcurrentHashMap<>();

    private SensitiveKeys(Set<String> keywords) {
        this.keywords = keywords;
        this.longestKeyword = keywords.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * The keywords to look for: {@code args} when given (with the word {@code defaults} among them to keep the
     * default list too), else {@link #DEFAULT_KEYWORDS}.
     *
     * @throws IllegalArgumentException naming a keyword with no letters or digits
     */
    public static SensitiveKeys of(List<String> args) {
        List<String> words = args.isEmpty() ? DEFAULT_KEYWORDS : args;
        Set<String> keywords = new HashSet<>();
        for (String word : words) {
            if (word.equals("defaults")) {
                DEFAULT_KEYWORDS.forEach(keyword -> keywords.add(String.join("", words(keyword))));
                continue;
            }
            String joined = String.join("", words(word));
            if (joined.isEmpty()) {
                throw new IllegalArgumentException("keyword '" + word + "' has no letters or digits");
            }
            keywords.add(joined);
        }
        return new SensitiveKeys(keywords);
    }

    public boolean isSensitive(String name) {
        Boolean known = answers.get(name);
        if (known != null) {
            return known;
        }
        boolean sensitive = decide(name);
        if (answers.size() < MAX_REMEMBERED) {
            answers.put(name, sensitive);
        }
        return sensitive;
    }

    private boolean decide(String name) {
        List<String> words = words(name);
        StringBuilder run = new StringBuilder();
        for (int first = 0; first < words.size(); first++) {
            run.setLength(0);
            for (int last = first; last < words.size() && run.length() < longestKeyword; last++) {
                run.append(words.get(last));
                if (keywords.contains(run.toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The lower-case words of a member name. */
    static List<String> words(String name) {
        List<String> words = new ArrayList<>(4);
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : ' ';
            boolean part = Character.isLetterOrDigit(c);
            if (start >= 0 && (!part || startsWord(name, i))) {
                words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            if (part && start < 0) {
                start = i;
            }
        }
        return words;
    }

    /** Whether a new word starts at {@code i} inside a run of letters and digits: a camelCase hump or a digit edge. */
    private static boolean startsWord(String name, int i) {
        char previous = name.charAt(i - 1);
        char c = name.charAt(i);
        if (Character.isDigit(previous) != Character.isDigit(c)) {
            return true;
        }
        if (Character.isLowerCase(previous) && Character.isUpperCase(c)) {
            return true;
        }
        // The last capital of an acronym starts the next word: APIKey is API + Key.
        return Character.isUpperCase(previous) && Character.isUpperCase(c) && i + 1 < name.length()
                && Character.isLowerCase(name.charAt(i + 1));
    }

    /** The name with everything but letters and digits taken out. */
    static String squash(String name) {
        StringBuilder squashed = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                squashed.append(c);
            }
        }
        return squashed.toString();
    }
}
