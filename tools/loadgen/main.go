// Command loadgen is Riskline's native load generator for the gateway benchmark (issue 12 item 8):
// `loadgen ws` drives many WebSocket clients against /v1/stream and reports delivery, latency and
// its own CPU; `loadgen tcp` measures raw loopback TCP throughput, the ceiling the benchmark
// compares delivered bytes/s against. One JSON object on stdout; progress and errors on stderr.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
)

// Exit codes: 0 a completed run (failed clients are reported, not fatal), 1 the run could not
// take place, 2 bad flags.
const (
	exitOK      = 0
	exitFailed  = 1
	exitBadFlag = 2
)

const usage = `usage:
  loadgen ws  --url ws://HOST:PORT/v1/stream --clients N --duration 10s --subscribe JSON [flags]
  loadgen tcp --duration 5s [--conns 1] [flags]
  loadgen <ws|tcp> --help   lists the flags`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "loadgen: a command is required: ws or tcp")
		return exitBadFlag
	}
	switch args[0] {
	case "ws":
		cfg, err := parseWSFlags(args[1:])
		if code, done := flagOutcome("ws", err, stderr, wsFlagSet); done {
			return code
		}
		prepareProcess(cfg.procs, cfg.clients, stderr)
		return runWS(cfg, stdout, stderr)
	case "tcp":
		cfg, err := parseTCPFlags(args[1:])
		if code, done := flagOutcome("tcp", err, stderr, tcpFlagSet); done {
			return code
		}
		prepareProcess(cfg.procs, 2*cfg.conns, stderr)
		return runTCP(cfg, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stderr, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "loadgen: unknown command %q: expected ws or tcp\n", args[0])
		return exitBadFlag
	}
}

// flagOutcome turns a parse result into an exit: help prints the flags (exit 0), an error prints one line (exit 2).
func flagOutcome(cmd string, err error, stderr io.Writer, describe func() *flag.FlagSet) (int, bool) {
	if err == nil {
		return 0, false
	}
	if errors.Is(err, flag.ErrHelp) {
		fs := describe()
		fs.SetOutput(stderr)
		fmt.Fprintf(stderr, "usage: loadgen %s [flags]\n", cmd)
		fs.PrintDefaults()
		return exitOK, true
	}
	fmt.Fprintf(stderr, "loadgen %s: %v\n", cmd, err)
	return exitBadFlag, true
}

// prepareProcess sets GOMAXPROCS and raises the open-file limit so thousands of sockets fit.
func prepareProcess(procs, sockets int, stderr io.Writer) {
	if procs > 0 {
		runtime.GOMAXPROCS(procs)
	}
	soft, err := raiseNoFile()
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: cannot raise RLIMIT_NOFILE: %v\n", err)
		return
	}
	if uint64(sockets)+64 > soft {
		fmt.Fprintf(stderr, "loadgen: warning: RLIMIT_NOFILE is %d, too low for %d sockets\n", soft, sockets)
	}
}
