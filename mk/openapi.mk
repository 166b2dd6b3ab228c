# mk/openapi.mk — the HTTP contract's generated files.
#
#   make generate   also renders api/openapi.json from pkg/access and
#                   pkg/openapi, and regenerates the Go client the e2e tests
#                   use from it (e2e/fengqiaoapi, oapi-codegen as the e2e
#                   module's go tool)
#
# check-generated covers both; so do the tests of pkg/openapi and
# e2e/fengqiaoapi. docs/integration.md says why the document is built from
# Go rather than kept by hand.

OPENAPI_DOCUMENT := api/openapi.json
OPENAPI_CLIENT   := e2e/fengqiaoapi/client.gen.go
OPERATOR_GENERATED_FILES += $(OPENAPI_DOCUMENT) $(OPENAPI_CLIENT)

.PHONY: generate-openapi

generate: generate-openapi

generate-openapi:
	$(GO) run ./pkg/openapi/cmd/openapi-render $(OPENAPI_DOCUMENT)
	cd e2e/fengqiaoapi && $(GO) generate .
