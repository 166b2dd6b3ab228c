package controller_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"fengqiao.dev/api/v1alpha1"
)

// TestDivisionInStatusAndColumns: the operator names the county's province
// and prefecture in the status, and `kubectl get mc -A` shows them: the
// apiserver's table for every namespace carries both columns, beside
// whether the county is Ready and Staffed and how many of its disputes are
// overdue, so provincial IT reads its counties at a glance.
func TestDivisionInStatusAndColumns(t *testing.T) {
	needEnvtest(t)
	createNamespace(t, "county-620923")
	mc := newCenter("county-620923", "subei", "620923")
	if err := suite.k8s.Create(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the province and prefecture in the status", func() (bool, string) {
		s := get(t, mc).Status
		return s.Province == "62" && s.Prefecture == "6209", s.Province + " " + s.Prefecture
	})
	waitCondition(t, mc, v1alpha1.ConditionReady, metav1.ConditionTrue, "")
	waitCondition(t, mc, v1alpha1.ConditionStaffed, metav1.ConditionTrue, "")

	table := centersTable(t)
	province, prefecture := columnIndex(t, table, "Province"), columnIndex(t, table, "Prefecture")
	ready, staffed := columnIndex(t, table, "Ready"), columnIndex(t, table, "Staffed")
	columnIndex(t, table, "Overdue")
	for _, row := range table.Rows {
		if row.Cells[0] == "subei" {
			if row.Cells[province] != "62" || row.Cells[prefecture] != "6209" || row.Cells[ready] != "True" || row.Cells[staffed] != "True" {
				t.Errorf("row of subei: %v, want province 62, prefecture 6209, Ready and Staffed True", row.Cells)
			}
			return
		}
	}
	t.Errorf("no row for subei in %v", table.Rows)
}

// centersTable is what `kubectl get mediationcenters -A` prints: the
// apiserver's Table of every MediationCenter, its columns from the CRD.
func centersTable(t *testing.T) *metav1.Table {
	t.Helper()
	httpClient, err := rest.HTTPClientFor(suite.cfg)
	if err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("%s/apis/%s/mediationcenters", strings.TrimSuffix(suite.cfg.Host, "/"), v1alpha1.GroupVersion)
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v\n%s", url, resp.StatusCode, err, body)
	}
	var table metav1.Table
	if err := json.Unmarshal(body, &table); err != nil {
		t.Fatal(err)
	}
	return &table
}

func columnIndex(t *testing.T, table *metav1.Table, name string) int {
	t.Helper()
	i := slices.IndexFunc(table.ColumnDefinitions, func(c metav1.TableColumnDefinition) bool { return c.Name == name })
	if i < 0 {
		t.Fatalf("no column %q in %v", name, table.ColumnDefinitions)
	}
	if table.ColumnDefinitions[i].Priority != 0 {
		t.Errorf("column %q has priority %d: kubectl shows it only with -o wide", name, table.ColumnDefinitions[i].Priority)
	}
	return i
}
