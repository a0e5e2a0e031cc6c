package speed

import "testing"

func TestMeasureSpeedSmoke(t *testing.T) {
	res, err := Measure(Config{Hidden: 8, Input: 5, Batch: 2, Steps: 3, Bidirectional: true, Parallel: true, Duration: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.TrainTokS <= 0 || res.InferTokS <= 0 || res.TrainRounds < 1 {
		t.Fatalf("no throughput measured: %+v", res)
	}
	if _, err := Measure(Config{Cell: "transformer"}); err == nil {
		t.Fatal("unknown cell accepted")
	}
}
