package main

import (
	"math"
	"testing"
)

func TestHistogramBucketsAreContiguousAndTight(t *testing.T) {
	prev := -1
	for v := uint64(0); v < 1<<20; v++ {
		b := bucketOf(v)
		if b != prev && b != prev+1 {
			t.Fatalf("bucket jumps from %d to %d at %d", prev, b, v)
		}
		prev = b
		if mid := bucketMid(b); math.Abs(mid-float64(v)) > 0.004*float64(v)+0.5 {
			t.Fatalf("value %d in bucket %d with midpoint %v: more than 0.4%% off", v, b, mid)
		}
	}
	if b := bucketOf(math.MaxUint64); b != histBuckets-1 {
		t.Errorf("huge value in bucket %d, want the last", b)
	}
}

func TestHistogramQuantilesWithinOnePercent(t *testing.T) {
	h := newHistogram()
	for v := uint64(1); v <= 100000; v++ {
		h.record(v)
	}
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := q * 100000
		if got := h.quantile(q); math.Abs(got-want) > 0.01*want {
			t.Errorf("q%v = %v, want %v within 1%%", q, got, want)
		}
	}
	merged := newHistogram()
	merged.add(h)
	merged.add(h)
	if merged.total() != 200000 || merged.quantile(0.5) != h.quantile(0.5) {
		t.Errorf("merge: total %d, p50 %v vs %v", merged.total(), merged.quantile(0.5), h.quantile(0.5))
	}
	if newHistogram().quantile(0.5) != 0 {
		t.Error("empty histogram quantile must be 0")
	}
}

func TestSummaryNearestRank(t *testing.T) {
	s := summarize([]float64{5, 1, 4, 2, 3})
	if s.Min != 1 || s.P50 != 3 || s.P99 != 5 || s.Max != 5 || s.Mean != 3 {
		t.Errorf("%+v", s)
	}
	if summarize(nil) != nil {
		t.Error("empty summary must be nil (null)")
	}
}
