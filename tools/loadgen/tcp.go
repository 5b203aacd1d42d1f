package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// tcpReport is `loadgen tcp`'s JSON report; README.md documents every field.
type tcpReport struct {
	Mode      string    `json:"mode"`
	Conns     int       `json:"conns"`
	WriteSize int       `json:"write_size"`
	WarmupS   float64   `json:"warmup_s"`
	DurationS float64   `json:"duration_s"`
	WindowS   float64   `json:"window_s"`
	Bytes     int64     `json:"bytes"`
	BytesPerS float64   `json:"bytes_per_s"`
	CPU       cpuReport `json:"cpu"`
}

// paddedCounter keeps each receiver's counter on its own cache line.
type paddedCounter struct {
	n atomic.Int64
	_ [56]byte
}

// runTCP measures loopback TCP throughput: conns sender/receiver pairs in this process, each
// sender writing write-size buffers as fast as the kernel takes them.
func runTCP(cfg *tcpConfig, stdout, stderr io.Writer) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(stderr, "loadgen tcp: listen: %v\n", err)
		return exitFailed
	}
	defer ln.Close()
	received := make([]paddedCounter, cfg.conns)
	var conns []net.Conn
	var mu sync.Mutex
	var wg sync.WaitGroup
	keep := func(c net.Conn) {
		mu.Lock()
		conns = append(conns, c)
		mu.Unlock()
	}
	for k := 0; k < cfg.conns; k++ {
		out, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			fmt.Fprintf(stderr, "loadgen tcp: dial: %v\n", err)
			return exitFailed
		}
		in, err := ln.Accept()
		if err != nil {
			out.Close()
			fmt.Fprintf(stderr, "loadgen tcp: accept: %v\n", err)
			return exitFailed
		}
		keep(out)
		keep(in)
		wg.Add(2)
		go func() { defer wg.Done(); send(out, cfg.writeSize) }()
		go func(ctr *atomic.Int64) { defer wg.Done(); receive(in, ctr) }(&received[k].n)
	}
	total := func() int64 {
		var n int64
		for i := range received {
			n += received[i].n.Load()
		}
		return n
	}
	time.Sleep(cfg.warmup)
	b0, cpu0 := total(), markCPU()
	time.Sleep(cfg.duration)
	b1, cpu1 := total(), markCPU()
	for _, c := range conns {
		c.Close()
	}
	wg.Wait()

	cpu := cpuBetween(cpu0, cpu1)
	window := cpu1.wall.Sub(cpu0.wall).Seconds()
	rep := tcpReport{
		Mode: "tcp", Conns: cfg.conns, WriteSize: cfg.writeSize, WarmupS: cfg.warmup.Seconds(),
		DurationS: cfg.duration.Seconds(), WindowS: window, Bytes: b1 - b0, CPU: cpu,
	}
	rep.BytesPerS = float64(rep.Bytes) / window
	fmt.Fprintf(stderr, "loadgen tcp: %d conns, %.2f GB/s (%.1f Gbit/s), cpu %.2f cores\n",
		cfg.conns, rep.BytesPerS/1e9, rep.BytesPerS*8/1e9, cpu.PerWall)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "loadgen tcp: writing the report: %v\n", err)
		return exitFailed
	}
	return exitOK
}

func send(c net.Conn, size int) {
	buf := make([]byte, size)
	for {
		if _, err := c.Write(buf); err != nil {
			return
		}
	}
}

func receive(c net.Conn, ctr *atomic.Int64) {
	buf := make([]byte, readBuffer)
	for {
		n, err := c.Read(buf)
		ctr.Add(int64(n))
		if err != nil {
			return
		}
	}
}
