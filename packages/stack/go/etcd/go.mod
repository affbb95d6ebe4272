// Wrapper module: etcd's server module has replace directives, so it is built from here.
module fraud-operator.local/stack/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 v3.6.8
