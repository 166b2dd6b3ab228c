package console

import (
	"net"
)

// nullListener is a listener that never accepts: handler tests call the
// handler directly.
type nullListener struct{ done chan struct{} }

func newNullListener() *nullListener { return &nullListener{done: make(chan struct{})} }

func (l *nullListener) Accept() (net.Conn, error) { <-l.done; return nil, net.ErrClosed }
func (l *nullListener) Close() error              { close(l.done); return nil }
func (l *nullListener) Addr() net.Addr            { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080} }
