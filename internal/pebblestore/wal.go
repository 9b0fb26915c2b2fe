package pebblestore

import (
	"strings"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// Why the WAL is not fsynced, and yet every commit is "synced":
//
// pebble's NoSync commit leaves the record in the WAL writer's 32 KiB
// block in process memory until the block fills or a synced commit
// comes; a kill -9 loses that tail. A synced commit writes the block to
// the file, then fsyncs it. Commits here are synced, but the WAL files
// pebble writes through unsyncedWAL ignore the fsync: a commit returns
// once its record is in the OS's page cache, which survives the death of
// the process, and costs a write(2), not a disk flush. A power loss can
// lose what the OS had not written back (Linux writes dirty pages back
// within about 30 s). Options.Fsync keeps pebble's fsyncs.

// unsyncedWAL is vfs.Default with no-op syncs on WAL files (*.log).
type unsyncedWAL struct{ vfs.FS }

func (fs unsyncedWAL) Create(name string, c vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.Create(name, c)
	return wrapWAL(name, f, err)
}

func (fs unsyncedWAL) ReuseForWrite(oldname, newname string, c vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.ReuseForWrite(oldname, newname, c)
	return wrapWAL(newname, f, err)
}

func wrapWAL(name string, f vfs.File, err error) (vfs.File, error) {
	if err != nil || !strings.HasSuffix(name, ".log") {
		return f, err
	}
	return unsyncedFile{f}, nil
}

// unsyncedFile is a WAL file whose data goes to the OS but is never
// forced to the disk by pebble.
type unsyncedFile struct{ vfs.File }

func (unsyncedFile) Sync() error                             { return nil }
func (unsyncedFile) SyncData() error                         { return nil }
func (unsyncedFile) SyncTo(int64) (fullSync bool, err error) { return true, nil }
