#include "textflag.h"

// func kernel4x8(k int, a, b, c *float64, ldc int, acc bool)
//
// C[4×8] = A·B (acc false) or C[4×8] += A·B (acc true) for a packed A panel (k×4: a[l*4+r]) and a packed B panel
// (k×8: b[l*8+j]); C has a row stride of ldc elements. The 4×8 block lives in
// eight YMM accumulators, two per row; each step of l loads one row of B and
// broadcasts one value of A per row of C.
TEXT ·kernel4x8(SB), NOSPLIT, $0-41
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), SI
	SHLQ $3, SI

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

	TESTQ CX, CX
	JEQ   store

loop:
	VMOVUPD      (BX), Y8
	VMOVUPD      32(BX), Y9
	VBROADCASTSD (AX), Y10
	VFMADD231PD  Y8, Y10, Y0
	VFMADD231PD  Y9, Y10, Y1
	VBROADCASTSD 8(AX), Y11
	VFMADD231PD  Y8, Y11, Y2
	VFMADD231PD  Y9, Y11, Y3
	VBROADCASTSD 16(AX), Y12
	VFMADD231PD  Y8, Y12, Y4
	VFMADD231PD  Y9, Y12, Y5
	VBROADCASTSD 24(AX), Y13
	VFMADD231PD  Y8, Y13, Y6
	VFMADD231PD  Y9, Y13, Y7
	ADDQ         $32, AX
	ADDQ         $64, BX
	DECQ         CX
	JNZ          loop

store:
	MOVBLZX acc+40(FP), DI
	TESTL   DI, DI
	JEQ     overwrite
	VADDPD  (DX), Y0, Y0
	VADDPD  32(DX), Y1, Y1
	VMOVUPD Y0, (DX)
	VMOVUPD Y1, 32(DX)
	ADDQ    SI, DX
	VADDPD  (DX), Y2, Y2
	VADDPD  32(DX), Y3, Y3
	VMOVUPD Y2, (DX)
	VMOVUPD Y3, 32(DX)
	ADDQ    SI, DX
	VADDPD  (DX), Y4, Y4
	VADDPD  32(DX), Y5, Y5
	VMOVUPD Y4, (DX)
	VMOVUPD Y5, 32(DX)
	ADDQ    SI, DX
	VADDPD  (DX), Y6, Y6
	VADDPD  32(DX), Y7, Y7
	VMOVUPD Y6, (DX)
	VMOVUPD Y7, 32(DX)
	VZEROUPPER
	RET

overwrite:
	VMOVUPD Y0, (DX)
	VMOVUPD Y1, 32(DX)
	ADDQ    SI, DX
	VMOVUPD Y2, (DX)
	VMOVUPD Y3, 32(DX)
	ADDQ    SI, DX
	VMOVUPD Y4, (DX)
	VMOVUPD Y5, 32(DX)
	ADDQ    SI, DX
	VMOVUPD Y6, (DX)
	VMOVUPD Y7, 32(DX)
	VZEROUPPER
	RET

// func kernel1x8(k int, a, b, c *float64, acc bool)
//
// c[0:8] = a·B (acc false) or c[0:8] += a·B (acc true) for one row a (k
// contiguous values) and a packed k×8 panel of B: the matrix-vector product of
// a batch of one. Four pairs of accumulators, one per step of l modulo 4, keep
// the FMA pipeline full; they are summed at the end.
TEXT ·kernel1x8(SB), NOSPLIT, $0-33
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DX

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

	MOVQ CX, SI
	SHRQ $2, SI
	JZ   tail

loop4:
	VBROADCASTSD (AX), Y8
	VFMADD231PD  (BX), Y8, Y0
	VFMADD231PD  32(BX), Y8, Y1
	VBROADCASTSD 8(AX), Y9
	VFMADD231PD  64(BX), Y9, Y2
	VFMADD231PD  96(BX), Y9, Y3
	VBROADCASTSD 16(AX), Y10
	VFMADD231PD  128(BX), Y10, Y4
	VFMADD231PD  160(BX), Y10, Y5
	VBROADCASTSD 24(AX), Y11
	VFMADD231PD  192(BX), Y11, Y6
	VFMADD231PD  224(BX), Y11, Y7
	ADDQ         $32, AX
	ADDQ         $256, BX
	DECQ         SI
	JNZ          loop4

tail:
	ANDQ $3, CX
	JZ   sum

loop1:
	VBROADCASTSD (AX), Y8
	VFMADD231PD  (BX), Y8, Y0
	VFMADD231PD  32(BX), Y8, Y1
	ADDQ         $8, AX
	ADDQ         $64, BX
	DECQ         CX
	JNZ          loop1

sum:
	VADDPD Y2, Y0, Y0
	VADDPD Y3, Y1, Y1
	VADDPD Y6, Y4, Y4
	VADDPD Y7, Y5, Y5
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1

	MOVBLZX acc+32(FP), DI
	TESTL   DI, DI
	JEQ     store1
	VADDPD  (DX), Y0, Y0
	VADDPD  32(DX), Y1, Y1

store1:
	VMOVUPD Y0, (DX)
	VMOVUPD Y1, 32(DX)
	VZEROUPPER
	RET
