package controller

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/countypolicy"
)

// retire writes the county's tombstone and, if its spec says so, deletes its
// copy topics; then it lets the resource go. Topics are retained by default:
// they are legal records. A duplicate that never governed the
// county retires nothing.
func (r *MediationCenterReconciler) retire(ctx context.Context, mc *v1alpha1.MediationCenter) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(mc, FinalizerName) {
		return ctrl.Result{}, nil
	}
	owner, err := r.countyOwner(ctx, mc)
	if err != nil {
		return ctrl.Result{}, err
	}
	if owner == nil {
		if err := r.retireCounty(ctx, mc.Spec.County.Code, mc.Spec.Topics.DeletionPolicy); err != nil {
			return ctrl.Result{}, err
		}
		r.retiredHere.Store(mc.UID, true)
	}
	controllerutil.RemoveFinalizer(mc, FinalizerName)
	if err := r.Update(ctx, mc); err != nil {
		return ctrl.Result{}, fmt.Errorf("while removing the finalizer of %s: %w", key(mc), err)
	}
	return ctrl.Result{}, nil
}

// goneCounty is what the informer's last copy of a deleted resource tells
// its retirement.
type goneCounty struct {
	uid      types.UID
	code     string
	deletion v1alpha1.DeletionPolicy
}

// forget notes a deleted resource for retireGone; the reconcile that
// follows finds it gone.
func (r *MediationCenterReconciler) forget(o client.Object) {
	mc, ok := o.(*v1alpha1.MediationCenter)
	if !ok {
		return
	}
	r.gone.Store(client.ObjectKeyFromObject(mc), goneCounty{uid: mc.UID, code: mc.Spec.County.Code,
		deletion: mc.Spec.Topics.DeletionPolicy})
}

// retireGone writes the tombstone of a county whose resource is gone,
// unless another resource of the county is left to govern it (it publishes
// its own policy under the same key) or the finalizer's retire already
// wrote it. Until the tombstone is written the note stays and the reconcile
// is tried again; a deletion the operator never saw, because it was not
// running, is the start's sweep's (Sweeper).
func (r *MediationCenterReconciler) retireGone(ctx context.Context, name types.NamespacedName) error {
	v, ok := r.gone.Load(name)
	if !ok {
		return nil
	}
	g := v.(goneCounty)
	if _, done := r.retiredHere.LoadAndDelete(g.uid); !done {
		others, err := r.countyResources(ctx, g.code)
		if err != nil {
			return err
		}
		others = slices.DeleteFunc(others, func(o v1alpha1.MediationCenter) bool { return o.UID == g.uid })
		if len(others) == 0 {
			if err := r.retireCounty(ctx, g.code, g.deletion); err != nil {
				return err
			}
		}
	}
	r.gone.CompareAndDelete(name, v)
	r.published.Delete(g.uid)
	r.ensured.Delete(g.uid)
	r.locks.Delete(name)
	return nil
}

func (r *MediationCenterReconciler) retireCounty(ctx context.Context, code string, deletion v1alpha1.DeletionPolicy) error {
	if err := r.Kafka.Retire(ctx, code, r.Now()); err != nil {
		return fmt.Errorf("while retiring county %s: %w", code, err)
	}
	log.FromContext(ctx).Info("retired county", "county", code)
	if deletion != v1alpha1.DeletionDelete {
		return nil
	}
	t := countypolicy.Topics(code)
	if err := r.Kafka.DeleteTopics(ctx, []string{t.Committee, t.Jurisdiction, t.Police}); err != nil {
		return fmt.Errorf("while deleting the topics of county %s: %w", code, err)
	}
	log.FromContext(ctx).Info("deleted county topics", "county", code)
	return nil
}

// deletionPredicate lets deletion through even where the generation does
// not change.
func deletionPredicate() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc:  func(e event.UpdateEvent) bool { return !e.ObjectNew.GetDeletionTimestamp().IsZero() },
		CreateFunc:  func(event.CreateEvent) bool { return false },
		DeleteFunc:  func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}

// lock serialises the reconciles of one county: the rollout and the edits
// controllers may hold the same one at once. It returns the unlock.
func (r *MediationCenterReconciler) lock(name types.NamespacedName) func() {
	return lockKey(&r.locks, name)
}

func lockKey(locks *sync.Map, key any) func() {
	v, _ := locks.LoadOrStore(key, &sync.Mutex{})
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// RetireOrphan writes the tombstone of county code unless a resource of the
// county is in the cache by then. Under the code's lock, a publication of
// the county cannot slip in between the check and the tombstone: a policy
// published before the check came from a resource the check finds, and one
// published after the tombstone follows it on the topic and stands.
func (r *MediationCenterReconciler) RetireOrphan(ctx context.Context, code string) (bool, error) {
	defer lockKey(&r.codeLocks, code)()
	items, err := r.countyResources(ctx, code)
	if err != nil || len(items) > 0 {
		return false, err
	}
	if err := r.Kafka.Retire(ctx, code, r.Now()); err != nil {
		return false, fmt.Errorf("while retiring county %s: %w", code, err)
	}
	return true, nil
}
