//go:build unix

package main

import (
	"os"
	"syscall"
)

// fileID identifies f when it is a regular file: its device, inode and
// size.
func fileID(f *os.File) (dev, ino uint64, size int64, regular bool) {
	if f == nil {
		return 0, 0, 0, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0, 0, 0, false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0, false
	}
	return uint64(sys.Dev), sys.Ino, st.Size(), true
}
