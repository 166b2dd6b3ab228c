module fengqiao.dev/services/revisit

go 1.26.8
