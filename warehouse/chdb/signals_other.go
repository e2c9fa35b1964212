//go:build !linux || !amd64

package chdb

// keepGoSignals runs start: the engine's library is built for linux/amd64 only.
func keepGoSignals(start func() error) error { return start() }
