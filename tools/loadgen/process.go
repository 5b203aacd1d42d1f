package main

import (
	"runtime"
	"syscall"
	"time"
)

// raiseNoFile lifts the soft open-file limit to the hard one and returns the soft limit in force.
func raiseNoFile() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, err
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return 0, err
		}
		if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return 0, err
		}
	}
	return uint64(rl.Cur), nil
}

func noFileLimit() uint64 {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) != nil {
		return 0
	}
	return uint64(rl.Cur)
}

// cpuMark is the process's CPU time and the wall clock at one instant.
type cpuMark struct {
	user, sys time.Duration
	wall      time.Time
}

func markCPU() cpuMark {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return cpuMark{user: time.Duration(ru.Utime.Nano()), sys: time.Duration(ru.Stime.Nano()), wall: time.Now()}
}

// cpuReport is the load generator's own CPU use over the measured window: per_wall is the average
// number of cores it kept busy, to compare with procs (the cores it may use).
type cpuReport struct {
	UserS   float64 `json:"user_s"`
	SysS    float64 `json:"sys_s"`
	TotalS  float64 `json:"total_s"`
	PerWall float64 `json:"per_wall"`
	Procs   int     `json:"procs"`
	CPUs    int     `json:"cpus"`
}

func cpuBetween(a, b cpuMark) cpuReport {
	wall := b.wall.Sub(a.wall).Seconds()
	r := cpuReport{
		UserS: (b.user - a.user).Seconds(), SysS: (b.sys - a.sys).Seconds(),
		Procs: runtime.GOMAXPROCS(0), CPUs: runtime.NumCPU(),
	}
	r.TotalS = r.UserS + r.SysS
	if wall > 0 {
		r.PerWall = r.TotalS / wall
	}
	return r
}
