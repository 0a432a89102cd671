;; fdlibm's atan2f (e_atan2f.c / s_atanf.c, as glibc's atan2f) on four float32 lanes at once: WebAssembly
;; SIMD's f32x4 arithmetic is IEEE float32 like glibc's, so each lane rounds as the scalar code does.
;;
;; atan2f(yp, xp, out, bytes): out[i] = atan2f(y[i], x[i]) for the float32 arrays at byte offsets yp, xp,
;; out of this module's memory, `bytes` bytes each (a multiple of 16). Lanes outside the usual case (a
;; zero, or exponents 25 or more apart) come out as NaN; the TypeScript glue (atan2f.ts) redoes them.
;;
;; With t = |y|/|x|, atanf(t) reduces t by the largest threshold it reaches, chosen per lane by
;; bit-selects so that one division serves every case: x' = (p·t − q) / (r + s·t), then
;; atan(t) = hi − ((x'·(s1 + s2) − lo) − x') with
;;   t <  0.4375:  p r = 1 1, q s = 0 0, hi lo = 0 0 (no reduction; equals fdlibm's x − x·(s1 + s2) exactly)
;;   t >= 0.4375:  x' = (2t − 1) / (2 + t),     hi lo = atanhi[0] atanlo[0]  (atan 0.5)
;;   t >= 0.6875:  x' = (t − 1) / (1 + t),      hi lo = atanhi[1] atanlo[1]  (atan 1)
;;   t >= 1.1875:  x' = (t − 1.5) / (1 + 1.5t), hi lo = atanhi[2] atanlo[2]  (atan 1.5)
;;   t >= 2.4375:  x' = −1 / t,                 hi lo = atanhi[3] atanlo[3]  (atan ∞)
;; s1 = z·(aT[0] + w·(aT[2] + w·(aT[4] + w·(aT[6] + w·(aT[8] + w·aT[10]))))),
;; s2 = w·(aT[1] + w·(aT[3] + w·(aT[5] + w·(aT[7] + w·aT[9])))), z = x'², w = z².
;; Constants are fdlibm's, printed as the shortest decimals that read back as those float32 values.
(module
  (func (export "atan2f") (param $yp i32) (param $xp i32) (param $out i32) (param $bytes i32)
    (local $i i32)
    (local $y v128) (local $x v128) (local $ay v128) (local $ax v128) (local $t v128)
    (local $p v128) (local $q v128) (local $r v128) (local $s v128) (local $hi v128) (local $lo v128)
    (local $m v128) (local $xr v128) (local $z v128) (local $w v128) (local $res v128)
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $y (v128.load align=4 (i32.add (local.get $yp) (local.get $i))))
        (local.set $x (v128.load align=4 (i32.add (local.get $xp) (local.get $i))))
        (local.set $ay (f32x4.abs (local.get $y)))
        (local.set $ax (f32x4.abs (local.get $x)))
        (local.set $t (f32x4.div (local.get $ay) (local.get $ax)))

        ;; no reduction
        (local.set $p (v128.const f32x4 1 1 1 1))
        (local.set $q (v128.const f32x4 0 0 0 0))
        (local.set $r (v128.const f32x4 1 1 1 1))
        (local.set $s (v128.const f32x4 0 0 0 0))
        (local.set $hi (v128.const f32x4 0 0 0 0))
        (local.set $lo (v128.const f32x4 0 0 0 0))
        ;; t >= 0.4375: atan(0.5) + atan((2t − 1) / (2 + t))
        (local.set $m (f32x4.ge (local.get $t) (v128.const f32x4 0.4375 0.4375 0.4375 0.4375)))
        (local.set $p (v128.bitselect (v128.const f32x4 2 2 2 2) (local.get $p) (local.get $m)))
        (local.set $q (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $q) (local.get $m)))
        (local.set $r (v128.bitselect (v128.const f32x4 2 2 2 2) (local.get $r) (local.get $m)))
        (local.set $s (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $s) (local.get $m)))
        (local.set $hi (v128.bitselect (v128.const f32x4 0.46364760398864746 0.46364760398864746 0.46364760398864746 0.46364760398864746) (local.get $hi) (local.get $m)))
        (local.set $lo (v128.bitselect (v128.const f32x4 5.01215824399992e-9 5.01215824399992e-9 5.01215824399992e-9 5.01215824399992e-9) (local.get $lo) (local.get $m)))
        ;; t >= 0.6875: atan(1) + atan((t − 1) / (1 + t))
        (local.set $m (f32x4.ge (local.get $t) (v128.const f32x4 0.6875 0.6875 0.6875 0.6875)))
        (local.set $p (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $p) (local.get $m)))
        (local.set $q (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $q) (local.get $m)))
        (local.set $r (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $r) (local.get $m)))
        (local.set $s (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $s) (local.get $m)))
        (local.set $hi (v128.bitselect (v128.const f32x4 0.7853981256484985 0.7853981256484985 0.7853981256484985 0.7853981256484985) (local.get $hi) (local.get $m)))
        (local.set $lo (v128.bitselect (v128.const f32x4 3.774894707930798e-8 3.774894707930798e-8 3.774894707930798e-8 3.774894707930798e-8) (local.get $lo) (local.get $m)))
        ;; t >= 1.1875: atan(1.5) + atan((t − 1.5) / (1 + 1.5t))
        (local.set $m (f32x4.ge (local.get $t) (v128.const f32x4 1.1875 1.1875 1.1875 1.1875)))
        (local.set $p (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $p) (local.get $m)))
        (local.set $q (v128.bitselect (v128.const f32x4 1.5 1.5 1.5 1.5) (local.get $q) (local.get $m)))
        (local.set $r (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $r) (local.get $m)))
        (local.set $s (v128.bitselect (v128.const f32x4 1.5 1.5 1.5 1.5) (local.get $s) (local.get $m)))
        (local.set $hi (v128.bitselect (v128.const f32x4 0.9827936887741089 0.9827936887741089 0.9827936887741089 0.9827936887741089) (local.get $hi) (local.get $m)))
        (local.set $lo (v128.bitselect (v128.const f32x4 3.447321716976148e-8 3.447321716976148e-8 3.447321716976148e-8 3.447321716976148e-8) (local.get $lo) (local.get $m)))
        ;; t >= 2.4375: atan(∞) + atan(−1 / t)
        (local.set $m (f32x4.ge (local.get $t) (v128.const f32x4 2.4375 2.4375 2.4375 2.4375)))
        (local.set $p (v128.bitselect (v128.const f32x4 0 0 0 0) (local.get $p) (local.get $m)))
        (local.set $q (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $q) (local.get $m)))
        (local.set $r (v128.bitselect (v128.const f32x4 0 0 0 0) (local.get $r) (local.get $m)))
        (local.set $s (v128.bitselect (v128.const f32x4 1 1 1 1) (local.get $s) (local.get $m)))
        (local.set $hi (v128.bitselect (v128.const f32x4 1.570796251296997 1.570796251296997 1.570796251296997 1.570796251296997) (local.get $hi) (local.get $m)))
        (local.set $lo (v128.bitselect (v128.const f32x4 7.549789415861596e-8 7.549789415861596e-8 7.549789415861596e-8 7.549789415861596e-8) (local.get $lo) (local.get $m)))

        (local.set $xr (f32x4.div
          (f32x4.sub (f32x4.mul (local.get $p) (local.get $t)) (local.get $q))
          (f32x4.add (local.get $r) (f32x4.mul (local.get $s) (local.get $t)))))
        (local.set $z (f32x4.mul (local.get $xr) (local.get $xr)))
        (local.set $w (f32x4.mul (local.get $z) (local.get $z)))
        ;; res = hi − ((x'·(s1 + s2) − lo) − x')
        (local.set $res (f32x4.sub (local.get $hi) (f32x4.sub (f32x4.sub
          (f32x4.mul (local.get $xr) (f32x4.add
            ;; s1
            (f32x4.mul (local.get $z)
              (f32x4.add (v128.const f32x4 0.3333333432674408 0.3333333432674408 0.3333333432674408 0.3333333432674408) (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 0.1428571492433548 0.1428571492433548 0.1428571492433548 0.1428571492433548) (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 0.09090887010097504 0.09090887010097504 0.09090887010097504 0.09090887010097504) (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 0.06661073118448257 0.06661073118448257 0.06661073118448257 0.06661073118448257) (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 0.049768779426813126 0.049768779426813126 0.049768779426813126 0.049768779426813126) (f32x4.mul (local.get $w)
                (v128.const f32x4 0.016285819932818413 0.016285819932818413 0.016285819932818413 0.016285819932818413))))))))))))
            ;; s2
            (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 -0.20000000298023224 -0.20000000298023224 -0.20000000298023224 -0.20000000298023224) (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 -0.1111111044883728 -0.1111111044883728 -0.1111111044883728 -0.1111111044883728) (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 -0.07691875845193863 -0.07691875845193863 -0.07691875845193863 -0.07691875845193863) (f32x4.mul (local.get $w)
              (f32x4.add (v128.const f32x4 -0.05833570286631584 -0.05833570286631584 -0.05833570286631584 -0.05833570286631584) (f32x4.mul (local.get $w)
                (v128.const f32x4 -0.03653157129883766 -0.03653157129883766 -0.03653157129883766 -0.03653157129883766))))))))))))
          (local.get $lo)) (local.get $xr))))
        ;; atanf(t) = t below 2^-12
        (local.set $res (v128.bitselect (local.get $t) (local.get $res) (f32x4.lt (local.get $t) (v128.const f32x4 0.000244140625 0.000244140625 0.000244140625 0.000244140625))))

        ;; The quadrant: x < 0 gives ±(pi − (res − pi_lo)), else ±res, signed as y. $z reused: res − pi_lo.
        (local.set $z (f32x4.sub (local.get $res) (v128.const f32x4 -8.742277657347586e-8 -8.742277657347586e-8 -8.742277657347586e-8 -8.742277657347586e-8)))
        (local.set $res (v128.bitselect
          (v128.bitselect
            (f32x4.sub (local.get $z) (v128.const f32x4 3.1415927410125732 3.1415927410125732 3.1415927410125732 3.1415927410125732))
            (f32x4.sub (v128.const f32x4 3.1415927410125732 3.1415927410125732 3.1415927410125732 3.1415927410125732) (local.get $z))
            (f32x4.lt (local.get $y) (v128.const f32x4 0 0 0 0)))
          (v128.bitselect (f32x4.neg (local.get $res)) (local.get $res) (f32x4.lt (local.get $y) (v128.const f32x4 0 0 0 0)))
          (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0))))
        ;; NaN unless |y| < |x|·2^25 and |x| < |y|·2^25 (both non-zero, exponents less than 25 apart)
        (v128.store align=4 (i32.add (local.get $out) (local.get $i))
          (v128.bitselect (local.get $res) (v128.const f32x4 nan nan nan nan) (v128.and
            (f32x4.lt (local.get $ay) (f32x4.mul (local.get $ax) (v128.const f32x4 33554432 33554432 33554432 33554432)))
            (f32x4.lt (local.get $ax) (f32x4.mul (local.get $ay) (v128.const f32x4 33554432 33554432 33554432 33554432))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lanes))))
  (memory (export "memory") 1))
