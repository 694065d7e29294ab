using Microsoft.Extensions.Options;

namespace SafetyLayers;

/// <summary>Validates <see cref="GuardrailsOptions"/>; every failure names the configuration key it concerns.</summary>
internal sealed class GuardrailsOptionsValidator : IValidateOptions<GuardrailsOptions>
{
    public ValidateOptionsResult Validate(string? name, GuardrailsOptions options)
    {
        List<string> errors = options.GetErrors(GuardrailsOptions.SectionName + ":");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
