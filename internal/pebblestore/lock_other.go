//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package pebblestore

import (
	"fmt"
	"os"
)

// lockDir only creates dir/crawl.lock where flock is missing; pebble's
// own lock on the store still keeps a second process out.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(lockPath(dir), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pebblestore: lock %s: %w", dir, err)
	}
	return f, nil
}
