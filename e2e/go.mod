module fengqiao.dev/e2e

go 1.26.8
