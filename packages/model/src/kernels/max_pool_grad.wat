;; maxPool2x2Grad(x, g, dx, B, H, W, C, oH, oW): MaxPoolGrad of non-overlapping 2×2 windows of
;;   x [B,H,W,C] (C a multiple of 4), one pass: the first of the four window pixels (row-major) that
;;   holds the maximum gets g (TF's rule), from three f32x4.gt comparisons turned into masks.
;; On the tfjs wasm backend's own heap: the memory is imported, pointers and strides are byte
;; offsets into it, and tensor data is read and written in place (no copies).
(module
  (import "env" "memory" (memory 1))
  (func (export "maxPool2x2Grad") (param $x i32) (param $g i32) (param $dx i32) (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $oH i32) (param $oW i32)
    (local $cb i32) (local $row i32) (local $b i32) (local $r i32) (local $q i32) (local $p i32) (local $c i32) (local $a i32)
    (local $v0 v128) (local $best v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $gv v128)
    (local.set $cb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $row (i32.mul (local.get $W) (local.get $cb)))
    (local.set $b (i32.const 0))
    (loop $bl
      (local.set $r (i32.const 0))
      (loop $rl
        (local.set $p (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (i32.shl (local.get $r) (i32.const 1))) (local.get $row)))
        (local.set $q (i32.const 0))
        (loop $ql
          (local.set $c (i32.const 0))
          (loop $cl
            (local.set $a (i32.add (local.get $p) (local.get $c)))
            (local.set $v0 (v128.load (i32.add (local.get $x) (local.get $a))))
            (local.set $best (v128.load (i32.add (i32.add (local.get $x) (local.get $a)) (local.get $cb))))
            (local.set $c1 (f32x4.gt (local.get $best) (local.get $v0)))
            (local.set $best (v128.bitselect (local.get $best) (local.get $v0) (local.get $c1)))
            (local.set $v0 (v128.load (i32.add (i32.add (local.get $x) (local.get $a)) (local.get $row))))
            (local.set $c2 (f32x4.gt (local.get $v0) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v0) (local.get $best) (local.get $c2)))
            (local.set $c3 (f32x4.gt
              (v128.load (i32.add (i32.add (i32.add (local.get $x) (local.get $a)) (local.get $row)) (local.get $cb)))
              (local.get $best)))
            (local.set $gv (v128.load (local.get $g)))
            (v128.store (i32.add (i32.add (i32.add (local.get $dx) (local.get $a)) (local.get $row)) (local.get $cb))
              (v128.and (local.get $gv) (local.get $c3)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $a)) (local.get $row))
              (v128.and (local.get $gv) (v128.andnot (local.get $c2) (local.get $c3))))
            (local.set $c2 (v128.or (local.get $c2) (local.get $c3)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $a)) (local.get $cb))
              (v128.and (local.get $gv) (v128.andnot (local.get $c1) (local.get $c2))))
            (v128.store (i32.add (local.get $dx) (local.get $a))
              (v128.andnot (local.get $gv) (v128.or (local.get $c1) (local.get $c2))))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br_if $cl (i32.lt_u (local.get $c) (local.get $cb))))
          (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cb) (i32.const 1))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $ql (i32.lt_u (local.get $q) (local.get $oW))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rl (i32.lt_u (local.get $r) (local.get $oH))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $bl (i32.lt_u (local.get $b) (local.get $B)))))
)
