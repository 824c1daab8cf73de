// rapaio-jupyter-kernel 3.0.1's LoopThread.java (MIT licence, see environment/kernel-patch/LICENCE), which
// environment/install.sh compiles and puts ahead of the kernel jar on the kernel's classpath. Changed:
// start() marks the loop running before it starts the thread.

package org.rapaio.jupyter.kernel.channels;

/**
 * Thread which runs in loop the loop body after each waiting period.
 */
public final class LoopThread extends Thread {

    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        // Set before the thread starts: set after it, a thread that reaches the loop first sees false and
        // ends at once, without an error (a channel that never reads its socket).
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
