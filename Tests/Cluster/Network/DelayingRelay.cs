using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace H2Sim.Tests.Cluster.Network;

/// <summary>
/// A TCP relay that holds every chunk of bytes for a fixed delay in each direction before passing
/// it on, in order: network latency between network namespaces on a kernel without the netem
/// qdisc. A node advertises the relay's address (`node --public-address`), so every byte other
/// nodes send it, and every byte it answers on those connections, waits <c>delay</c>.
/// </summary>
public sealed class DelayingRelay : IDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint target;
    private readonly TimeSpan delay;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> sockets = [];
    private long bytesRelayed;

    public DelayingRelay(IPEndPoint listen, IPEndPoint target, TimeSpan delay)
    {
        this.target = target;
        this.delay = delay;
        listener = new TcpListener(listen);
        listener.Start();
        _ = AcceptLoop();
    }

    /// <summary>Bytes passed on so far, both directions together.</summary>
    public long BytesRelayed => Interlocked.Read(ref bytesRelayed);

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        lock (sockets)
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Connect(client);
        }
    }

    private async Task Connect(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        lock (sockets)
        {
            sockets.Add(client);
            sockets.Add(server);
        }

        try
        {
            await server.ConnectAsync(target, stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            client.Dispose();
            server.Dispose();
            return;
        }

        _ = Pump(client, server);
        _ = Pump(server, client);
    }

    /// <summary>Reads from one side, and writes each chunk to the other once it is <c>delay</c> old.</summary>
    private async Task Pump(Socket from, Socket to)
    {
        var held = Channel.CreateUnbounded<(long DueTicks, byte[] Bytes)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = Deliver(held.Reader, to);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                if (n == 0)
                {
                    break;
                }

                var due = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
                held.Writer.TryWrite((due, buffer[..n]));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        held.Writer.TryComplete();
        await writer;
    }

    private async Task Deliver(ChannelReader<(long DueTicks, byte[] Bytes)> held, Socket to)
    {
        try
        {
            await foreach (var (due, bytes) in held.ReadAllAsync(stop.Token))
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token);
                }

                for (var sent = 0; sent < bytes.Length;)
                {
                    sent += await to.SendAsync(bytes.AsMemory(sent), SocketFlags.None, stop.Token);
                }

                Interlocked.Add(ref bytesRelayed, bytes.Length);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
