package controller

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"fengqiao.dev/api/v1alpha1"
)

// countyCodeField indexes MediationCenters by county code.
const countyCodeField = "spec.county.code"

// IndexCountyCode registers the county-code index the duplicate check uses.
func IndexCountyCode(ctx context.Context, idx client.FieldIndexer) error {
	err := idx.IndexField(ctx, &v1alpha1.MediationCenter{}, countyCodeField, func(o client.Object) []string {
		return []string{o.(*v1alpha1.MediationCenter).Spec.County.Code}
	})
	if err != nil {
		return fmt.Errorf("while indexing MediationCenters by county code: %w", err)
	}
	return nil
}

// countyOwner returns the MediationCenter that governs mc's county when it
// is another one. The oldest resource of a county governs it, in whatever
// namespace: a county's policy has one key on the topic, so it can have
// only one source. A terminating owner keeps governing until it is gone, so
// its tombstone cannot overwrite its successor's policy.
func (r *MediationCenterReconciler) countyOwner(ctx context.Context, mc *v1alpha1.MediationCenter) (*v1alpha1.MediationCenter, error) {
	items, err := r.countyResources(ctx, mc.Spec.County.Code)
	if err != nil {
		return nil, err
	}
	owner := oldest(items)
	if owner == nil || owner.UID == mc.UID {
		return nil, nil
	}
	return owner, nil
}

// countyResources are the MediationCenters of county code.
func (r *MediationCenterReconciler) countyResources(ctx context.Context, code string) ([]v1alpha1.MediationCenter, error) {
	var list v1alpha1.MediationCenterList
	if err := r.List(ctx, &list, client.MatchingFields{countyCodeField: code}); err != nil {
		return nil, fmt.Errorf("while listing the MediationCenters of county %s: %w", code, err)
	}
	return list.Items, nil
}

// oldest is the governing resource among those of one county.
func oldest(items []v1alpha1.MediationCenter) *v1alpha1.MediationCenter {
	var best *v1alpha1.MediationCenter
	for i := range items {
		c := &items[i]
		if best == nil || older(c, best) {
			best = c
		}
	}
	return best
}

func older(a, b *v1alpha1.MediationCenter) bool {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	return key(a) < key(b)
}

// sameCounty wakes the other resources of a county when one changes, so a
// duplicate takes over once the governing one is deleted.
func (r *MediationCenterReconciler) sameCounty(ctx context.Context, o client.Object) []reconcile.Request {
	mc, ok := o.(*v1alpha1.MediationCenter)
	if !ok {
		return nil
	}
	var list v1alpha1.MediationCenterList
	if err := r.List(ctx, &list, client.MatchingFields{countyCodeField: mc.Spec.County.Code}); err != nil {
		return nil
	}
	var out []reconcile.Request
	for _, other := range list.Items {
		if other.UID != mc.UID {
			out = append(out, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: other.Namespace, Name: other.Name}})
		}
	}
	return out
}
