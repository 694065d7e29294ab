using SafetyLayers.Cli;

return CliApplication.Run(args, Console.Out, Console.Error);
