package diskfull

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

func TestIs(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"FerretDB on SQLite, a write past RLIMIT_FSIZE", mongo.CommandError{Code: 1, Name: "InternalError",
			Message: "[msg_insert.go:168 handler.(*Handler).MsgInsert] [db.go:167 fsql.(*DB).InTransaction] disk I/O error (778)"}, true},
		{"FerretDB on SQLite, a full disk", mongo.CommandError{Code: 1, Name: "InternalError",
			Message: "[collection.go:191 sqlite.(*collection).UpdateAll] database or disk is full (13)"}, true},
		{"FerretDB on PostgreSQL", mongo.CommandError{Code: 1, Name: "InternalError",
			Message: `ERROR: could not extend file "base/5/16384": No space left on device (SQLSTATE 53100)`}, true},
		{"MongoDB", mongo.CommandError{Code: outOfDiskSpace, Name: "OutOfDiskSpace", Message: "disk full"}, true},
		{"wrapped by a service", fmt.Errorf("while saving dispute d1: %w",
			mongo.CommandError{Code: 1, Message: "disk I/O error (778)"}), true},
		{"the OS's ENOSPC", fmt.Errorf("cannot write: %w", syscall.ENOSPC), true},
		{"the OS's EFBIG", fmt.Errorf("cannot write: %w", syscall.EFBIG), true},
		{"a duplicate key", mongo.CommandError{Code: 11000, Message: "E11000 duplicate key error"}, false},
		{"a read error of SQLite", mongo.CommandError{Code: 1, Message: "disk I/O error (266)"}, false},
		{"a time-out", context.DeadlineExceeded, false},
		{"anything else", errors.New("connection refused"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Is(tt.err); got != tt.want {
				t.Errorf("Is(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
