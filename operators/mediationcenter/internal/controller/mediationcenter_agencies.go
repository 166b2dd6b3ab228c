package controller

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
)

// Agencies creates Kafka principals and their ACLs; *KafkaClients is the
// real one.
type Agencies interface {
	EnsurePrincipals(ctx context.Context, principals []provision.Principal) error
}

// Keys of an agency's credentials Secret, the layout Strimzi's User
// Operator also uses, so an agency's system reads either the same way.
const (
	SecretUsernameKey = "username"
	SecretPasswordKey = "password"
)

// Secrets are read uncached (SecretReader), so the operator needs no list
// or watch on them: it never holds other Secrets of the cluster in memory.
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;create

// reconcileAgencies gives each of the county's agencies (one per copy of
// the slip) its Kafka principal, which reads that county's copy topic of its
// kind and nothing else (api/kafkaacl), with a password kept in a Secret of
// the principal's name in the MediationCenter's namespace for the agency's
// system to mount. It runs only when the operator manages principals
// (Agencies set); on Strimzi the chart's KafkaUsers do it instead.
func (r *MediationCenterReconciler) reconcileAgencies(ctx context.Context, mc *v1alpha1.MediationCenter) error {
	if r.Agencies == nil {
		return nil
	}
	var principals []provision.Principal
	for _, a := range kafkaacl.CountyAgencies(mc.Spec.County.Code) {
		password, err := r.agencyPassword(ctx, mc, a.Name)
		if err != nil {
			return err
		}
		principals = append(principals, provision.Principal{Principal: a, Password: password})
	}
	if err := r.Agencies.EnsurePrincipals(ctx, principals); err != nil {
		return fmt.Errorf("while creating the Kafka principals of county %s's agencies: %w", mc.Spec.County.Code, err)
	}
	return nil
}

// agencyPassword returns the password in the principal's Secret, creating
// the Secret with a random one the first time. The Secret belongs to the
// MediationCenter, so it goes when the county does.
func (r *MediationCenterReconciler) agencyPassword(ctx context.Context, mc *v1alpha1.MediationCenter, principal string) (string, error) {
	var s corev1.Secret
	reader := r.SecretReader
	if reader == nil {
		reader = r.Client
	}
	err := reader.Get(ctx, types.NamespacedName{Namespace: mc.Namespace, Name: principal}, &s)
	if err == nil {
		if p := string(s.Data[SecretPasswordKey]); p != "" {
			return p, nil
		}
		return "", fmt.Errorf("secret %s/%s has no %q", mc.Namespace, principal, SecretPasswordKey)
	}
	if !apierrors.IsNotFound(err) {
		return "", fmt.Errorf("while reading the Kafka credentials of %s: %w", principal, err)
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("cannot make a password for %s: %w", principal, err)
	}
	password := base64.RawURLEncoding.EncodeToString(raw)
	s = corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: principal, Namespace: mc.Namespace,
			Labels: map[string]string{"app.kubernetes.io/managed-by": "mediationcenter-operator", "mediation.fengqiao.dev/county": mc.Spec.County.Code}},
		Data: map[string][]byte{SecretUsernameKey: []byte(principal), SecretPasswordKey: []byte(password)},
	}
	if err := controllerutil.SetControllerReference(mc, &s, r.Scheme()); err != nil {
		return "", fmt.Errorf("while owning the Kafka credentials of %s: %w", principal, err)
	}
	if err := r.Create(ctx, &s); err != nil {
		return "", fmt.Errorf("while storing the Kafka credentials of %s: %w", principal, err)
	}
	return password, nil
}
