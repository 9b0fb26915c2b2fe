package pebblestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// openPebble opens the store in dir. A store that exists is opened as it
// is (never created anew), so that a damaged one fails with ErrCorrupt
// rather than coming back empty.
func openPebble(dir string, cacheSize int64, readOnly, fsync bool) (*pebble.DB, error) {
	path := storeDir(dir)
	_, err := os.Stat(path)
	exists := err == nil
	if !exists && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("pebblestore: %w", err)
	}
	if !exists && readOnly {
		return nil, fmt.Errorf("pebblestore: no crawl state in %s: %w", dir, fs.ErrNotExist)
	}
	cache := pebble.NewCache(cacheSize)
	defer cache.Unref()
	opts := &pebble.Options{
		Cache:            cache,
		ErrorIfNotExists: exists,
		ReadOnly:         readOnly,
		Logger:           quietLogger{},
		// Two memtables of 4 MiB bound the write buffers.
		MemTableSize:                4 << 20,
		MemTableStopWritesThreshold: 2,
		FS:                          vfs.Default,
		// A corrupt block surfaces as the error of the read that met it;
		// pebble's default would end the process.
		EventListener: &pebble.EventListener{DataCorruption: func(pebble.DataCorruptionInfo) {}},
	}
	if !fsync {
		opts.FS = unsyncedWAL{vfs.Default}
	}
	for i := range opts.Levels {
		// Most keys a crawl checks are new: a filter answers without a read.
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	pdb, err := pebble.Open(path, opts)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, fmt.Errorf("pebblestore: open %s: %w", dir, err)
		}
		return nil, corrupt(dir, "open store", err)
	}
	return pdb, nil
}

// quietLogger keeps pebble's informational messages off stderr, which
// belongs to the crawl's own log.
type quietLogger struct{}

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("pebblestore: pebble: "+format, args...))
}

// get returns a copy of key's value; found is false when key is absent.
// A read error is ErrCorrupt.
func get(dir string, pdb *pebble.DB, key []byte) (v []byte, found bool, err error) {
	val, closer, err := pdb.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, corrupt(dir, "read "+quote(key), err)
	}
	v = append([]byte(nil), val...)
	return v, true, closer.Close()
}

func (db *DB) get(key []byte) ([]byte, bool, error) { return get(db.dir, db.pdb, key) }

// getRecord reads the record under key (the record key of k).
func (db *DB) getRecord(key []byte, k string) (record, bool, error) {
	val, closer, err := db.pdb.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return record{}, false, nil
	}
	if err != nil {
		return record{}, false, corrupt(db.dir, "read "+quote(key), err)
	}
	defer closer.Close()
	rec, err := decodeRecord(k, val)
	if err != nil {
		return record{}, false, corrupt(db.dir, "record "+quote(key), err)
	}
	return rec, true, nil
}

// getUvarint reads a number; an absent key is 0.
func (db *DB) getUvarint(key []byte) (uint64, error) {
	v, found, err := db.get(key)
	if err != nil || !found {
		return 0, err
	}
	n, err := decodeUvarint(v)
	if err != nil {
		return 0, corrupt(db.dir, quote(key), err)
	}
	return n, nil
}
