#include "textflag.h"

// Vectorised σ and tanh, four float64 lanes per AVX2 instruction. Both go
// through e^z with z = −x (σ) or z = −2x (tanh = 2σ(2x) − 1):
//
//   clamp z to [−708, 708] (σ and tanh are saturated long before; 2ⁿ stays normal)
//   n = round(z·log2 e), r = z − n·ln2 (ln 2 split in two parts, Cody–Waite)
//   e^r = Taylor polynomial of degree 13 (|r| ≤ ln2/2: truncation error < 1e-17)
//   2ⁿ from the exponent bits: n + 1.5·2⁵² has n in its low mantissa bits
//
// Each constant is stored four times so that it can be a 256-bit memory operand.

#define C(off, val) \
	DATA consts<>+(off)+0(SB)/8, $val \
	DATA consts<>+(off)+8(SB)/8, $val \
	DATA consts<>+(off)+16(SB)/8, $val \
	DATA consts<>+(off)+24(SB)/8, $val

C(0, -708.0)
C(32, 708.0)
C(64, 1.4426950408889634)          // log2 e
C(96, 6.93147180369123816490e-01)  // ln2 hi
C(128, 1.90821492927058770002e-10) // ln2 lo
C(160, 6755399441055744.0)         // 1.5·2⁵²
C(192, 1.0)
C(224, 1.6059043836821613e-10)     // 1/13!
C(256, 2.08767569878681e-09)       // 1/12!
C(288, 2.505210838544172e-08)      // 1/11!
C(320, 2.755731922398589e-07)      // 1/10!
C(352, 2.7557319223985893e-06)     // 1/9!
C(384, 2.48015873015873e-05)       // 1/8!
C(416, 0.0001984126984126984)      // 1/7!
C(448, 0.001388888888888889)       // 1/6!
C(480, 0.008333333333333333)       // 1/5!
C(512, 0.041666666666666664)       // 1/4!
C(544, 0.16666666666666666)        // 1/3!
C(576, 0.5)                        // 1/2!
C(608, -2.0)
GLOBL consts<>(SB), RODATA|NOPTR, $640

// EXP sets Y3 = e^Y0 (Y0 is clobbered; uses Y1, Y2, Y4).
#define EXP \
	VMAXPD       consts<>+0(SB), Y0, Y0   \
	VMINPD       consts<>+32(SB), Y0, Y0  \
	VMULPD       consts<>+64(SB), Y0, Y1  \
	VROUNDPD     $0, Y1, Y1               \
	VFNMADD231PD consts<>+96(SB), Y1, Y0  \
	VFNMADD231PD consts<>+128(SB), Y1, Y0 \
	VMOVUPD      consts<>+224(SB), Y3     \
	VFMADD213PD  consts<>+256(SB), Y0, Y3 \
	VFMADD213PD  consts<>+288(SB), Y0, Y3 \
	VFMADD213PD  consts<>+320(SB), Y0, Y3 \
	VFMADD213PD  consts<>+352(SB), Y0, Y3 \
	VFMADD213PD  consts<>+384(SB), Y0, Y3 \
	VFMADD213PD  consts<>+416(SB), Y0, Y3 \
	VFMADD213PD  consts<>+448(SB), Y0, Y3 \
	VFMADD213PD  consts<>+480(SB), Y0, Y3 \
	VFMADD213PD  consts<>+512(SB), Y0, Y3 \
	VFMADD213PD  consts<>+544(SB), Y0, Y3 \
	VFMADD213PD  consts<>+576(SB), Y0, Y3 \
	VFMADD213PD  consts<>+192(SB), Y0, Y3 \
	VFMADD213PD  consts<>+192(SB), Y0, Y3 \
	VMOVUPD      consts<>+160(SB), Y2     \
	VADDPD       Y2, Y1, Y4               \
	VPSUBQ       Y2, Y4, Y4               \
	VPSLLQ       $52, Y4, Y4              \
	VPADDQ       Y4, Y3, Y3

// func sigmoid4(x *float64, n int)
// x[i] = 1/(1 + e^−x[i]) for i < n, n a multiple of 4.
TEXT ·sigmoid4(SB), NOSPLIT, $0-16
	MOVQ    x+0(FP), DI
	MOVQ    n+8(FP), CX
	SHRQ    $2, CX
	JZ      sdone
	VMOVUPD consts<>+192(SB), Y5

sloop:
	VXORPD  Y0, Y0, Y0
	VSUBPD  (DI), Y0, Y0
	EXP
	VADDPD  Y5, Y3, Y3
	VDIVPD  Y3, Y5, Y3
	VMOVUPD Y3, (DI)
	ADDQ    $32, DI
	DECQ    CX
	JNZ     sloop

sdone:
	VZEROUPPER
	RET

// func tanh4(dst, src *float64, n int)
// dst[i] = tanh(src[i]) = 2/(1 + e^−2src[i]) − 1 for i < n, n a multiple of 4.
TEXT ·tanh4(SB), NOSPLIT, $0-24
	MOVQ    dst+0(FP), DI
	MOVQ    src+8(FP), SI
	MOVQ    n+16(FP), CX
	SHRQ    $2, CX
	JZ      tdone
	VMOVUPD consts<>+192(SB), Y5
	VMOVUPD consts<>+608(SB), Y6

tloop:
	VMULPD  (SI), Y6, Y0
	EXP
	VADDPD  Y5, Y3, Y3
	VDIVPD  Y3, Y5, Y3
	VADDPD  Y3, Y3, Y3
	VSUBPD  Y5, Y3, Y3
	VMOVUPD Y3, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     tloop

tdone:
	VZEROUPPER
	RET
