;; gather(src, dst, count, len, srcStride, step): the im2col copy, for runs r < count,
;;   dst[r·len + i] = src[r·srcStride + i·step] (i < len; strides and step in bytes): one memory.copy
;;   per run when the step is one float.
;; On the tfjs wasm backend's own heap: the memory is imported, pointers and strides are byte
;; offsets into it, and tensor data is read and written in place (no copies).
(module
  (import "env" "memory" (memory 1))
  (func (export "gather") (param $src i32) (param $dst i32) (param $count i32) (param $len i32) (param $srcStride i32) (param $step i32)
    (local $rb i32) (local $i i32) (local $s i32)
    (local.set $rb (i32.shl (local.get $len) (i32.const 2)))
    (block $done
      (loop $runs
        (br_if $done (i32.eqz (local.get $count)))
        (if (i32.eq (local.get $step) (i32.const 4))
          (then (memory.copy (local.get $dst) (local.get $src) (local.get $rb)))
          (else
            (local.set $i (i32.const 0))
            (local.set $s (local.get $src))
            (loop $el
              (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (local.get $s)))
              (local.set $s (i32.add (local.get $s) (local.get $step)))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br_if $el (i32.lt_u (local.get $i) (local.get $rb))))))
        (local.set $src (i32.add (local.get $src) (local.get $srcStride)))
        (local.set $dst (i32.add (local.get $dst) (local.get $rb)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $runs))))
)
