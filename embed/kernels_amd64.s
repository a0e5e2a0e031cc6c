//go:build amd64 && !purego

#include "textflag.h"

// func dotAVX(x, y []float32) float32
// len(y) == len(x). Two 8-lane accumulators over 16 values a step, one more 8-lane
// step, then a scalar tail.
TEXT ·dotAVX(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ   AX, AX
	MOVQ   CX, DX
	ANDQ   $-16, DX // end of the 16-wide part

loop16:
	CMPQ        AX, DX
	JGE         rest8
	VMOVUPS     (SI)(AX*4), Y2
	VMOVUPS     32(SI)(AX*4), Y3
	VFMADD231PS (DI)(AX*4), Y2, Y0
	VFMADD231PS 32(DI)(AX*4), Y3, Y1
	ADDQ        $16, AX
	JMP         loop16

rest8:
	MOVQ        CX, DX
	SUBQ        AX, DX
	CMPQ        DX, $8
	JL          reduce
	VMOVUPS     (SI)(AX*4), Y2
	VFMADD231PS (DI)(AX*4), Y2, Y0
	ADDQ        $8, AX

reduce:
	VADDPS       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0

tail:
	CMPQ        AX, CX
	JGE         done
	VMOVSS      (SI)(AX*4), X2
	VFMADD231SS (DI)(AX*4), X2, X0
	INCQ        AX
	JMP         tail

done:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET

// func axpyAVX(a float32, x, y []float32)
// y += a·x, len(y) == len(x).
TEXT ·axpyAVX(SB), NOSPLIT, $0-56
	VBROADCASTSS a+0(FP), Y0
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	XORQ         AX, AX
	MOVQ         CX, DX
	ANDQ         $-16, DX

loop16:
	CMPQ        AX, DX
	JGE         rest8
	VMOVUPS     (DI)(AX*4), Y1
	VMOVUPS     32(DI)(AX*4), Y2
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VFMADD231PS 32(SI)(AX*4), Y0, Y2
	VMOVUPS     Y1, (DI)(AX*4)
	VMOVUPS     Y2, 32(DI)(AX*4)
	ADDQ        $16, AX
	JMP         loop16

rest8:
	MOVQ        CX, DX
	SUBQ        AX, DX
	CMPQ        DX, $8
	JL          tail
	VMOVUPS     (DI)(AX*4), Y1
	VFMADD231PS (SI)(AX*4), Y0, Y1
	VMOVUPS     Y1, (DI)(AX*4)
	ADDQ        $8, AX

tail:
	CMPQ        AX, CX
	JGE         done
	VMOVSS      (DI)(AX*4), X1
	VFMADD231SS (SI)(AX*4), X0, X1
	VMOVSS      X1, (DI)(AX*4)
	INCQ        AX
	JMP         tail

done:
	VZEROUPPER
	RET
