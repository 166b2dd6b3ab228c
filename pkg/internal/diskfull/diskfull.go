// Package diskfull recognises a store's refusal to write for want of space,
// whatever store and driver report it, so that the plumbing can answer it
// as what it is: the platform's fault, passing, not the request's or the
// message's. A service then answers 503 at once instead of a 500, and a
// consumer waits for space instead of dead-lettering a good message.
package diskfull

import (
	"errors"
	"strings"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// outOfDiskSpace is MongoDB's error code for a write refused for want of
// space (OutOfDiskSpace).
const outOfDiskSpace = 14031

// signs are how the layers under the store word a refused write. FerretDB
// passes the backend's error text on inside an InternalError, so the text
// is all there is to go by:
//   - SQLite: SQLITE_FULL ("database or disk is full", on ENOSPC or a short
//     write) and SQLITE_IOERR_WRITE ("disk I/O error (778)", on any other
//     failed write, EFBIG and EDQUOT among them);
//   - PostgreSQL: SQLSTATE 53100 disk_full, and the OS errors in its
//     "could not extend file" and "could not write" messages;
//   - the OS itself: ENOSPC, EFBIG and EDQUOT as Go prints them.
var signs = []string{
	"database or disk is full",
	"disk i/o error (778)",
	"sqlstate 53100",
	"no space left on device",
	"file too large",
	"disk quota exceeded",
}

// Is reports whether err, or an error it wraps, says the store could not
// write for want of space.
func Is(err error) bool {
	if err == nil {
		return false
	}
	var server mongo.ServerError
	if errors.As(err, &server) && server.HasErrorCode(outOfDiskSpace) {
		return true
	}
	text := strings.ToLower(err.Error())
	for _, sign := range signs {
		if strings.Contains(text, sign) {
			return true
		}
	}
	return false
}
