using Microsoft.Extensions.AI;
using SafetyLayers.Testing;

// An offline demo: a scripted model streams a reply. The guard layers are added as they land.
using var model = new FakeChatClient
{
    GetStreamingResponseAsyncCallback = (_, _, ct) => FakeChatClient.StreamText(["Hello", ", I am ", "a scripted model."], ct),
};

Console.WriteLine("SafetyLayers demo (offline, scripted model)");
Console.WriteLine("user: Hi there!");
Console.Write("assistant: ");
await foreach (ChatResponseUpdate update in model.GetStreamingResponseAsync("Hi there!"))
{
    Console.Write(update.Text);
}

Console.WriteLine();
Console.WriteLine("scenario 'benign conversation': streamed unchanged");
