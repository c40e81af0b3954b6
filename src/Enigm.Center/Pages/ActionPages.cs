using System.Text;
using Enigm.Center.Actions;
using Microsoft.AspNetCore.Http;

namespace Enigm.Center.Pages;

/// <summary>The confirmation step (changes nothing, repeats the fields with <c>confirmed=yes</c>) and the result pages.</summary>
public static class ActionPages
{
    public const string ConfirmedField = "confirmed";

    public static string Confirm(CenterAction action, IFormCollection form, string description, string csrf)
    {
        var fields = action.Fields.Select(f => (f, form[f].ToString())).Append((ConfirmedField, "yes"));
        var s = new StringBuilder()
            .Append($"<p id=\"confirm-description\">{Html.E(description)}</p>")
            .Append(Html.ActionForm(action.Name, csrf, $"Yes: {action.Title.ToLowerInvariant()}", fields, buttonClass: "confirm"))
            .Append(" <a href=\"/\" class=\"cancel\">Cancel</a>");
        return Layout.Page($"Confirm: {action.Title}", s.ToString(), csrf);
    }

    public static string Done(CenterAction action, ActionOutcome outcome, string csrf) =>
        Layout.Page($"Done: {action.Title}",
            $"<p id=\"outcome\" role=\"status\">{Html.E(outcome.Message)}</p>{outcome.NextStepHtml}<p><a href=\"/\">Back to the overview</a></p>", csrf);

    public static string Failed(string title, EnigmException error, string csrf) =>
        Layout.Page($"Not done: {title}",
            $"<p id=\"outcome\" class=\"problem\" role=\"alert\">{Html.E(error.Message)}</p><p>Error: <code>{Html.E(error.Code)}</code>.</p>" +
            "<p><a href=\"/\">Back to the overview</a></p>", csrf);
}
