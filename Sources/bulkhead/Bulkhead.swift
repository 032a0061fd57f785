import ArgumentParser
import BulkheadService

/// `bulkhead`: the segment risk service.
@main
struct Bulkhead: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulkhead",
        abstract: "Segment risk service: isolated collateral pools with their own margin, oracle and liquidation engine.",
        version: BulkheadServiceInfo.version,
        subcommands: [
            ServeCommand.self,
            ReplayCommand.self,
            KeysCommand.self,  // ops helper
            HealthcheckCommand.self,  // ops helper
            OpenAPICommand.self,
            StressCommand.self,  // offline stress runs (issue 13)
        ],
        defaultSubcommand: ServeCommand.self
    )
}
