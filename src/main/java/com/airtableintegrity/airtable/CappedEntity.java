package com.airtableintegrity.airtable;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * An answer's body that can be read up to a number of bytes and no further: camel-http buffers a whole body in
 * memory, so without a cap one oversized (or endless) answer could exhaust the heap. HttpClient has no such limit
 * of its own, hence this small wrapper.
 */
final class CappedEntity extends HttpEntityWrapper {
    private final long limit;

    CappedEntity(HttpEntity wrapped, long limit) {
        super(wrapped);
        this.limit = limit;
    }

    @Override
    public InputStream getContent() throws IOException {
        return new Capped(super.getContent(), limit);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = getContent()) {
            in.transferTo(out);
        }
    }

    private static final class Capped extends FilterInputStream {
        private final long limit;
        private long read;

        Capped(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws PageTooLargeException {
            read += n;
            if (read > limit) {
                throw new PageTooLargeException(limit);
            }
        }
    }
}
