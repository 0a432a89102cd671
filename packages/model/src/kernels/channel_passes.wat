;; The per-channel passes of batch norm over channels-last data: rows of C floats, C a multiple of 4.
;; sums(u, v, m, n, C, part, tot): tot[c] += Σᵢ u[i,c] and tot[C + c] += Σᵢ u[i,c]·(v[i,c] − m[c]) over
;;   n rows: f32x4 partial sums over blocks of 64 rows (error ≲ 64 ulp) in `part` (2·C floats), flushed
;;   into the float64 totals `tot` (2·C doubles), so the totals over 262,144 rows (the first layer's
;;   batch share) stay exact to float64 rounding.
;; affine(x, y, s, t, n, C): y[i,c] = x[i,c]·s[c] + t[c].
;; scaleSub(dy, x, dx, k, b, a, n, C): dx[i,c] = k[c]·dy[i,c] − b[c]·x[i,c] − a[c].
;; On the tfjs wasm backend's own heap: the memory is imported, pointers and strides are byte
;; offsets into it, and tensor data is read and written in place (no copies).
(module
  (import "env" "memory" (memory 1))
  (func (export "sums") (param $u i32) (param $v i32) (param $m i32) (param $n i32) (param $C i32) (param $part i32) (param $tot i32)
    (local $rb i32) (local $part2 i32) (local $k i32) (local $c i32) (local $a v128) (local $t i32)
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (local.set $part2 (i32.add (local.get $part) (local.get $rb)))
    (block $done
      (loop $blocks
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $k (select (i32.const 64) (local.get $n) (i32.gt_s (local.get $n) (i32.const 64))))
        (local.set $n (i32.sub (local.get $n) (local.get $k)))
        (local.set $c (i32.const 0))
        (loop $zero
          (v128.store (i32.add (local.get $part) (local.get $c)) (v128.const i32x4 0 0 0 0))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $zero (i32.lt_u (local.get $c) (i32.shl (local.get $rb) (i32.const 1)))))
        (loop $rows
          (local.set $c (i32.const 0))
          (loop $ch
            (local.set $a (v128.load (i32.add (local.get $u) (local.get $c))))
            (v128.store (i32.add (local.get $part) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $part) (local.get $c))) (local.get $a)))
            (v128.store (i32.add (local.get $part2) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $part2) (local.get $c)))
                (f32x4.mul (local.get $a)
                  (f32x4.sub (v128.load (i32.add (local.get $v) (local.get $c))) (v128.load (i32.add (local.get $m) (local.get $c)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br_if $ch (i32.lt_u (local.get $c) (local.get $rb))))
          (local.set $u (i32.add (local.get $u) (local.get $rb)))
          (local.set $v (i32.add (local.get $v) (local.get $rb)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br_if $rows (local.get $k)))
        (local.set $c (i32.const 0))
        (loop $flush
          (local.set $a (v128.load (i32.add (local.get $part) (local.get $c))))
          (local.set $t (i32.add (local.get $tot) (i32.shl (local.get $c) (i32.const 1))))
          (v128.store (local.get $t) (f64x2.add (v128.load (local.get $t)) (f64x2.promote_low_f32x4 (local.get $a))))
          (v128.store offset=16 (local.get $t)
            (f64x2.add (v128.load offset=16 (local.get $t))
              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $flush (i32.lt_u (local.get $c) (i32.shl (local.get $rb) (i32.const 1)))))
        (br $blocks))))
  (func (export "affine") (param $x i32) (param $y i32) (param $s i32) (param $t i32) (param $n i32) (param $C i32)
    (local $rb i32) (local $c i32)
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.const 0))
        (loop $ch
          (v128.store (i32.add (local.get $y) (local.get $c))
            (f32x4.add
              (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $c))) (v128.load (i32.add (local.get $s) (local.get $c))))
              (v128.load (i32.add (local.get $t) (local.get $c)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $ch (i32.lt_u (local.get $c) (local.get $rb))))
        (local.set $x (i32.add (local.get $x) (local.get $rb)))
        (local.set $y (i32.add (local.get $y) (local.get $rb)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $rows))))
  (func (export "scaleSub") (param $dy i32) (param $x i32) (param $dx i32) (param $k i32) (param $b i32) (param $a i32) (param $n i32) (param $C i32)
    (local $rb i32) (local $c i32)
    (local.set $rb (i32.shl (local.get $C) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.const 0))
        (loop $ch
          (v128.store (i32.add (local.get $dx) (local.get $c))
            (f32x4.sub
              (f32x4.sub
                (f32x4.mul (v128.load (i32.add (local.get $k) (local.get $c))) (v128.load (i32.add (local.get $dy) (local.get $c))))
                (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $c))) (v128.load (i32.add (local.get $x) (local.get $c)))))
              (v128.load (i32.add (local.get $a) (local.get $c)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $ch (i32.lt_u (local.get $c) (local.get $rb))))
        (local.set $dy (i32.add (local.get $dy) (local.get $rb)))
        (local.set $x (i32.add (local.get $x) (local.get $rb)))
        (local.set $dx (i32.add (local.get $dx) (local.get $rb)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $rows))))
)
