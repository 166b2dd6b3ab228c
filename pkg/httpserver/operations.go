package httpserver

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"
)

// Operation is a route of a service's contract (pkg/openapi): its method,
// its path under the API's prefix in echo's form ("/disputes/:id"), its
// operationId, and whether its answer carries the entity-tag of the record
// :id names.
type Operation struct {
	Method, Path, ID string
	ETag             bool
}

// Tagger is what serves the entity-tags of the operations that answer one
// (ETag).
type Tagger interface {
	ETag(ctx context.Context, id string) (string, error)
}

// Tags is a Tagger of a function: the use case that reads a record's
// entity-tag, handed to Mount beside the handlers.
type Tags func(ctx context.Context, id string) (string, error)

// ETag is t itself.
func (t Tags) ETag(ctx context.Context, id string) (string, error) { return t(ctx, id) }

var handlerType = reflect.TypeOf((*echo.HandlerFunc)(nil)).Elem()

// Mount serves each operation on g by the method of handlers named as its
// operationId with its first letter upper-cased (getDispute: GetDispute),
// a func(echo.Context) error. So the routes a service serves are those of
// its contract, which also grants them (pkg/access): a route cannot be
// served without its contract, nor a contract go unserved, which Mount
// reports, as it does an operation two handlers both serve. An operation
// whose answer carries an ETag has it from the one of handlers that is a
// Tagger (Tags).
func Mount(g *echo.Group, ops []Operation, handlers ...any) error {
	var errs []error
	var tagger Tagger
	for _, h := range handlers {
		if t, ok := h.(Tagger); ok {
			if tagger != nil {
				return errors.New("two of the handlers serve entity-tags")
			}
			tagger = t
		}
	}
	for _, op := range ops {
		name := strings.ToUpper(op.ID[:1]) + op.ID[1:]
		var found []echo.HandlerFunc
		for _, h := range handlers {
			m := reflect.ValueOf(h).MethodByName(name)
			if !m.IsValid() || !m.Type().ConvertibleTo(handlerType) {
				continue
			}
			found = append(found, m.Convert(handlerType).Interface().(echo.HandlerFunc))
		}
		if len(found) != 1 {
			errs = append(errs, fmt.Errorf("%s %s (%s): %d handlers named %s, want one", op.Method, op.Path, op.ID, len(found), name))
			continue
		}
		var mw []echo.MiddlewareFunc
		if op.ETag {
			if tagger == nil {
				errs = append(errs, fmt.Errorf("%s %s (%s) answers an ETag, but no handler serves entity-tags (Tags)", op.Method, op.Path, op.ID))
				continue
			}
			mw = append(mw, ETag(tagger.ETag))
		}
		g.Add(op.Method, op.Path, found[0], mw...)
	}
	return errors.Join(errs...)
}
