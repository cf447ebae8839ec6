using System.Collections;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Server.Transport.Lean;

/// <summary>
/// The connection is its own feature collection: it serves its id, transport, items, endpoints,
/// lifetime and socket itself, keeps the three features Kestrel sets on every connection in fields
/// and anything else in two spare slots, then a dictionary made only if those run out. A
/// <see cref="FeatureCollection"/> would make a dictionary for every connection.
/// </summary>
internal sealed partial class LeanConnection : IFeatureCollection, IConnectionIdFeature, IConnectionTransportFeature,
    IConnectionItemsFeature, IConnectionEndPointFeature, IConnectionLifetimeFeature, IConnectionSocketFeature
{
    private IConnectionLifetimeNotificationFeature? _lifetimeNotification;
    private IConnectionHeartbeatFeature? _heartbeat;
    private IConnectionCompleteFeature? _complete;
    private Type? _spareType1;
    private object? _spare1;
    private Type? _spareType2;
    private object? _spare2;
    private Dictionary<Type, object>? _more;
    private int _revision;

    bool IFeatureCollection.IsReadOnly => false;

    int IFeatureCollection.Revision => _revision;

    Socket IConnectionSocketFeature.Socket => _socket;

    object? IFeatureCollection.this[Type key]
    {
        get => GetFeature(key);
        set => SetFeature(key, value);
    }

    TFeature? IFeatureCollection.Get<TFeature>()
        where TFeature : default => (TFeature?)GetFeature(typeof(TFeature));

    void IFeatureCollection.Set<TFeature>(TFeature? instance)
        where TFeature : default => SetFeature(typeof(TFeature), instance);

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator() => EnumerateFeatures().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => EnumerateFeatures().GetEnumerator();

    private object? GetFeature(Type key)
    {
        if (key == typeof(IConnectionLifetimeNotificationFeature))
        {
            return _lifetimeNotification;
        }

        if (key == typeof(IConnectionHeartbeatFeature))
        {
            return _heartbeat;
        }

        if (key == typeof(IConnectionCompleteFeature))
        {
            return _complete;
        }

        if (key == _spareType1)
        {
            return _spare1;
        }

        if (key == _spareType2)
        {
            return _spare2;
        }

        if (_more is not null && _more.TryGetValue(key, out var feature))
        {
            return feature;
        }

        return IsServedByConnection(key) ? this : null;
    }

    private void SetFeature(Type key, object? value)
    {
        _revision++;
        if (key == typeof(IConnectionLifetimeNotificationFeature))
        {
            _lifetimeNotification = (IConnectionLifetimeNotificationFeature?)value;
        }
        else if (key == typeof(IConnectionHeartbeatFeature))
        {
            _heartbeat = (IConnectionHeartbeatFeature?)value;
        }
        else if (key == typeof(IConnectionCompleteFeature))
        {
            _complete = (IConnectionCompleteFeature?)value;
        }
        else if (_spareType1 is null || key == _spareType1)
        {
            _spareType1 = key;
            _spare1 = value;
        }
        else if (_spareType2 is null || key == _spareType2)
        {
            _spareType2 = key;
            _spare2 = value;
        }
        else if (value is null)
        {
            _more?.Remove(key);
        }
        else
        {
            (_more ??= [])[key] = value;
        }
    }

    private static bool IsServedByConnection(Type key) =>
        key == typeof(IConnectionIdFeature) || key == typeof(IConnectionTransportFeature) || key == typeof(IConnectionItemsFeature) ||
        key == typeof(IConnectionEndPointFeature) || key == typeof(IConnectionLifetimeFeature) || key == typeof(IConnectionSocketFeature);

    private IEnumerable<KeyValuePair<Type, object>> EnumerateFeatures()
    {
        Type[] served = [typeof(IConnectionIdFeature), typeof(IConnectionTransportFeature), typeof(IConnectionItemsFeature),
            typeof(IConnectionEndPointFeature), typeof(IConnectionLifetimeFeature), typeof(IConnectionSocketFeature),
            typeof(IConnectionLifetimeNotificationFeature), typeof(IConnectionHeartbeatFeature), typeof(IConnectionCompleteFeature)];
        foreach (var type in served.Concat(_more?.Keys ?? Enumerable.Empty<Type>()).Append(_spareType1).Append(_spareType2))
        {
            if (type is not null && GetFeature(type) is { } feature)
            {
                yield return new KeyValuePair<Type, object>(type, feature);
            }
        }
    }
}
