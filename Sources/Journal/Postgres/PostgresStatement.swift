/// One prepared statement with its parameters, for a pipeline.
struct PostgresStatement {
    var name: String
    var sql: String
    var parameters: [PostgresValue]
}
