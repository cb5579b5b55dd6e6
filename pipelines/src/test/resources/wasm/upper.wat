;; Upper-cases the ASCII letters of the payload and answers true: a real transform.
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))

  ;; Bump allocator. The host calls alloc once per record, before process, so alloc starts the heap over:
  ;; nothing of the previous record is needed any more.
  (func (export "alloc") (param $size i32) (result i32)
    (global.set $heap (i32.const 1024))
    (call $bump (local.get $size)))

  (func $bump (param $size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $pages i32)
    (local.set $ptr (global.get $heap))
    (local.set $end (i32.add (local.get $ptr) (local.get $size)))
    (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
    ;; Pages needed beyond the current size, rounding the end up to a page.
    (local.set $pages (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                               (memory.size)))
    (if (i32.gt_s (local.get $pages) (i32.const 0))
      (then (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1)) (then unreachable))))
    (global.set $heap (local.get $end))
    (local.get $ptr))

  ;; Output: result code 0 (true) followed by the new payload, in a fresh heap block.
  (func (export "process") (param $ptr i32) (param $len i32) (param $args i32) (param $argsLen i32) (result i64)
    (local $out i32) (local $i i32) (local $c i32)
    (local.set $out (call $bump (i32.add (local.get $len) (i32.const 1))))
    (i32.store8 (local.get $out) (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        ;; 'a'..'z' -> 'A'..'Z'; every other byte (UTF-8 continuation bytes included) stays.
        (if (i32.lt_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 26))
          (then (local.set $c (i32.sub (local.get $c) (i32.const 32)))))
        (i32.store8 offset=1 (i32.add (local.get $out) (local.get $i)) (local.get $c))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
            (i64.extend_i32_u (i32.add (local.get $len) (i32.const 1)))))
)
