module fengqiao.dev/devstack

go 1.26.8
