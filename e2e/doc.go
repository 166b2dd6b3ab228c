// Package e2e holds the end-to-end tests: the whole platform (devstack) on
// the real embedded broker and store, driven only from outside — HTTP as
// officers, mediators and supervisors use it, and the county copy topics as
// an outside agency's system reads them.
package e2e
