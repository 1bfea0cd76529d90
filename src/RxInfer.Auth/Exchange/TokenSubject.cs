namespace RxInfer.Auth;

/// <summary>Who a token is for: a subject and its roles.</summary>
/// <param name="Subject">The stable id of the owner.</param>
/// <param name="Roles">The roles its tokens carry.</param>
public sealed record TokenSubject(string Subject, IReadOnlyList<string> Roles);
