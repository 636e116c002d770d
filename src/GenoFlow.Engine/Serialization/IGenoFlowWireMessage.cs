namespace GenoFlow.Engine.Serialization;

/// <summary>A message that crosses nodes; <see cref="GenoFlowSerializer"/> is bound to this interface.</summary>
public interface IGenoFlowWireMessage;
