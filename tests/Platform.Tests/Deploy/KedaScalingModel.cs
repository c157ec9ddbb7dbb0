namespace Platform.Tests.Deploy;

/// <summary>
/// The replica count KEDA + the HPA settle on for a rabbitmq trigger in QueueLength mode (KEDA docs, "scaling
/// deployments"; Kubernetes HPA algorithm with an AverageValue target). Test-only: KEDA itself does not run here.
/// <list type="bullet">
/// <item>KEDA reports the queue length as an external metric with target average value <c>value</c>; the HPA
/// wants <c>ceil(queueLength / value)</c> replicas, clamped to <c>[max(minReplicaCount, 1), maxReplicaCount]</c>.</item>
/// <item>The trigger is active while <c>queueLength &gt; activationValue</c>. Inactive with minReplicaCount 0, KEDA
/// scales the Deployment to zero once it has been inactive for <c>cooldownPeriod</c>; from zero it scales to one
/// as soon as a poll finds it active, and the HPA takes over from there.</item>
/// <item>Several triggers: the HPA takes the largest of the per-trigger counts.</item>
/// </list>
/// Not modelled: the HPA's 10 % tolerance and its 5-minute scale-down stabilisation window, which delay (never change)
/// where it settles.
/// </summary>
public static class KedaScalingModel
{
    public sealed record Trigger(double Value, double ActivationValue);

    public sealed record Scaling(int MinReplicaCount, int MaxReplicaCount, int CooldownPeriod);

    public static bool IsActive(long queueLength, Trigger trigger) => queueLength > trigger.ActivationValue;

    /// <summary>Replicas once settled (inactive for longer than the cooldown, when that applies).</summary>
    public static int DesiredReplicas(Scaling scaling, params (long QueueLength, Trigger Trigger)[] triggers)
    {
        if (!triggers.Any(t => IsActive(t.QueueLength, t.Trigger)))
        {
            return scaling.MinReplicaCount;
        }
        var hpa = triggers.Max(t => (int)Math.Ceiling(t.QueueLength / t.Trigger.Value));
        return Math.Clamp(hpa, Math.Max(scaling.MinReplicaCount, 1), scaling.MaxReplicaCount);
    }
}
