global using System.Diagnostics;
global using System.Diagnostics.CodeAnalysis;
