;; reluMask(dy, y, dz, bytes): dz = dy where y > 0, else 0 (f32x4.gt as a bit mask), over `bytes` bytes.
;; On the tfjs wasm backend's own heap: the memory is imported, pointers and strides are byte
;; offsets into it, and tensor data is read and written in place (no copies).
(module
  (import "env" "memory" (memory 1))
  (func (export "reluMask") (param $dy i32) (param $y i32) (param $dz i32) (param $bytes i32)
    (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (v128.store (i32.add (local.get $dz) (local.get $i))
          (v128.and (v128.load (i32.add (local.get $dy) (local.get $i)))
            (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $i))) (v128.const f32x4 0 0 0 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))
)
