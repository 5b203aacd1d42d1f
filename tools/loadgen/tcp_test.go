package main

import "testing"

func TestTCPMeasuresLoopbackThroughput(t *testing.T) {
	var rep tcpReport
	code, stderr := runLoadgen(t, &rep, "tcp", "--duration", "200ms", "--warmup", "0s", "--conns", "2", "--write-size", "16384")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if rep.Mode != "tcp" || rep.Conns != 2 || rep.Bytes <= 0 || rep.BytesPerS <= 0 || rep.WindowS < 0.19 {
		t.Errorf("%+v", rep)
	}
	if rep.CPU.TotalS <= 0 || rep.CPU.PerWall <= 0 {
		t.Errorf("cpu %+v: sending and receiving must show CPU time", rep.CPU)
	}
}
