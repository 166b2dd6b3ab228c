module fengqiao.dev/services/supervision

go 1.26.8
