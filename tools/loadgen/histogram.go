package main

import (
	"math"
	"math/bits"
	"sync/atomic"
)

// A log-bucketed histogram of microseconds in the manner of HDR: values below 256 are exact, then
// each power of two splits into 128 buckets, so a bucket's midpoint is within 0.4 % of any value
// in it. Counts are atomic so a few goroutines can share one histogram (see latencyShards).
const (
	histExact    = 256
	histPerPower = 128
	histMaxShift = 34 // up to 2^42 µs, about 50 days; larger values land in the last bucket
	histBuckets  = histExact + histMaxShift*histPerPower
)

type histogram struct{ counts []uint64 }

func newHistogram() *histogram { return &histogram{counts: make([]uint64, histBuckets)} }

func bucketOf(v uint64) int {
	if v < histExact {
		return int(v)
	}
	shift := bits.Len64(v) - 8
	if shift > histMaxShift {
		return histBuckets - 1
	}
	return histExact + (shift-1)*histPerPower + int(v>>uint(shift)) - histPerPower
}

// bucketMid is the midpoint of a bucket's value range.
func bucketMid(b int) float64 {
	if b < histExact {
		return float64(b)
	}
	k := b - histExact
	shift := uint(k/histPerPower + 1)
	lo := uint64(k%histPerPower+histPerPower) << shift
	return float64(lo) + float64(uint64(1)<<shift-1)/2
}

func (h *histogram) record(v uint64) { atomic.AddUint64(&h.counts[bucketOf(v)], 1) }

func (h *histogram) add(o *histogram) {
	for i := range h.counts {
		h.counts[i] += atomic.LoadUint64(&o.counts[i])
	}
}

func (h *histogram) total() uint64 {
	var n uint64
	for _, c := range h.counts {
		n += c
	}
	return n
}

// quantile is the midpoint of the bucket holding the ceil(q·n)-th smallest value.
func (h *histogram) quantile(q float64) float64 {
	n := h.total()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for b, c := range h.counts {
		seen += c
		if seen >= rank {
			return bucketMid(b)
		}
	}
	return bucketMid(histBuckets - 1)
}
