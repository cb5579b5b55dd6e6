;; Replaces the payload with the value of the arg "replacement" (args arrive as a JSON object such as
;; {"replacement":"x"}) and answers true; answers false when there is no such arg. A test module: it finds the key
;; by its bytes as Jackson writes them and stops at the next quote, so a value with an escaped quote is cut short.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "\01")
  ;; The key and the opening quote of its value, 15 bytes.
  (data (i32.const 16) "\"replacement\":\"")
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

  (func (export "process") (param $ptr i32) (param $len i32) (param $args i32) (param $argsLen i32) (result i64)
    (local $i i32) (local $j i32) (local $start i32) (local $end i32) (local $n i32) (local $out i32)
    (block $notFound
      (block $found
        (loop $scan
          (br_if $notFound (i32.gt_u (i32.add (local.get $i) (i32.const 15)) (local.get $argsLen)))
          (local.set $j (i32.const 0))
          (block $mismatch
            (loop $compare
              (br_if $found (i32.eq (local.get $j) (i32.const 15)))
              (br_if $mismatch
                (i32.ne (i32.load8_u (i32.add (i32.add (local.get $args) (local.get $i)) (local.get $j)))
                        (i32.load8_u offset=16 (local.get $j))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $compare)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $scan)))
      ;; The value runs from after the key to the next quote.
      (local.set $start (i32.add (i32.add (local.get $args) (local.get $i)) (i32.const 15)))
      (local.set $end (local.get $start))
      (block $closed
        (loop $value
          (br_if $notFound (i32.ge_u (local.get $end) (i32.add (local.get $args) (local.get $argsLen))))
          (br_if $closed (i32.eq (i32.load8_u (local.get $end)) (i32.const 34)))
          (local.set $end (i32.add (local.get $end) (i32.const 1)))
          (br $value)))
      (local.set $n (i32.sub (local.get $end) (local.get $start)))
      (local.set $out (call $bump (i32.add (local.get $n) (i32.const 1))))
      (i32.store8 (local.get $out) (i32.const 0))
      (memory.copy (i32.add (local.get $out) (i32.const 1)) (local.get $start) (local.get $n))
      (return (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
                      (i64.extend_i32_u (i32.add (local.get $n) (i32.const 1))))))
    ;; One byte at address 0: result code 1 (false).
    (i64.const 1))
)
