package main

import (
	"bufio"
	"fmt"
	"io"
	"testing"
)

// BenchmarkReadSmallFrames is the per-message cost of the read loop on tick-sized frames.
func BenchmarkReadSmallFrames(b *testing.B) {
	for _, sample := range []int{1, 100} {
		b.Run(fmt.Sprintf("sample=%d", sample), func(b *testing.B) {
			msg := []byte(`{"type":"update","channel":"ticks:AAPL","seq":123456,"ts":1795617000250,"asOf":1795617000250,"inputSeq":987654,"data":{"bid":199.98,"ask":200.02,"last":200}}`)
			frame := serverFrame(true, opText, msg)
			var chunk []byte
			for i := 0; i < 1000; i++ {
				chunk = append(chunk, frame...)
			}
			r := &wsRun{cfg: &wsConfig{}, sample: uint64(sample)}
			r.phase.Store(phaseMeasure)
			c := &client{r: r, hist: newHistogram()}
			br := bufio.NewReaderSize(&repeatReader{chunk: chunk, left: int64(b.N) * int64(len(frame))}, readBuffer)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			b.ResetTimer()
			if err := c.read(nil, br); err != io.EOF {
				b.Fatal(err)
			}
			if c.msgs.Load() != int64(b.N) {
				b.Fatalf("counted %d of %d", c.msgs.Load(), b.N)
			}
		})
	}
}

// repeatReader yields chunk over and over, left bytes in all, as a socket would.
type repeatReader struct {
	chunk []byte
	off   int
	left  int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.chunk[r.off:])
	if int64(n) > r.left {
		n = int(r.left)
	}
	r.off = (r.off + n) % len(r.chunk)
	r.left -= int64(n)
	return n, nil
}
