package controller

import (
	"context"
	"fmt"

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
		if err := r.retireCounty(ctx, mc); err != nil {
			return ctrl.Result{}, err
		}
	}
	controllerutil.RemoveFinalizer(mc, FinalizerName)
	if err := r.Update(ctx, mc); err != nil {
		return ctrl.Result{}, fmt.Errorf("while removing the finalizer of %s: %w", key(mc), err)
	}
	return ctrl.Result{}, nil
}

func (r *MediationCenterReconciler) retireCounty(ctx context.Context, mc *v1alpha1.MediationCenter) error {
	code := mc.Spec.County.Code
	if err := r.Kafka.Retire(ctx, code, r.Now()); err != nil {
		return fmt.Errorf("while retiring county %s: %w", code, err)
	}
	log.FromContext(ctx).Info("retired county", "county", code)
	if mc.Spec.Topics.DeletionPolicy != v1alpha1.DeletionDelete {
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
