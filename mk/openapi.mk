# mk/openapi.mk — the HTTP contract's generated files.
#
#   make generate   also renders api/openapi.json from pkg/access and
#                   pkg/openapi, and regenerates the Go client the console
#                   and the e2e tests use from it (api/fengqiaoapi in the api
#                   module, oapi-codegen as the e2e module's go tool)
#
# check-generated covers both; so do the tests of pkg/openapi and
# api/fengqiaoapi. docs/integration.md says why the document is built from
# Go rather than kept by hand.

OPENAPI_DOCUMENT := api/openapi.json
OPENAPI_CLIENT   := api/fengqiaoapi/client.gen.go
OPERATOR_GENERATED_FILES += $(OPENAPI_DOCUMENT) $(OPENAPI_CLIENT)

.PHONY: generate-openapi

generate: generate-openapi

generate-openapi:
	$(GO) run ./pkg/openapi/cmd/openapi-render $(OPENAPI_DOCUMENT)
	cd api/fengqiaoapi && $(GO) generate .
