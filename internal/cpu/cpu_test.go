package cpu

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestAVX2FMAAgreesWithProcCPUInfo checks the CPUID reading against what Linux
// reports for the same CPU.
func TestAVX2FMAAgreesWithProcCPUInfo(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		if AVX2FMA {
			t.Fatal("AVX2FMA set on a CPU without AVX2")
		}
		return
	}
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skip("no /proc/cpuinfo")
	}
	var flags string
	for _, line := range strings.Split(string(info), "\n") {
		if strings.HasPrefix(line, "flags") {
			flags = " " + line + " "
			break
		}
	}
	want := strings.Contains(flags, " avx2 ") && strings.Contains(flags, " fma ")
	if AVX2FMA != want {
		t.Fatalf("AVX2FMA = %v, /proc/cpuinfo says %v", AVX2FMA, want)
	}
}
