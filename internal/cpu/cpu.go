// Package cpu tells which vector instructions this machine can run, for the
// packages that carry their own assembly kernels (nn, embed).
package cpu

// AVX2FMA reports whether the CPU has AVX2 and FMA3 and the operating system
// saves the 256-bit registers on context switches: the condition for every
// AVX2 kernel of this module. It is false on other architectures.
var AVX2FMA = hasAVX2FMA()
